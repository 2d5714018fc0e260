using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Broker.Tests.EndToEnd;

namespace Broker.Tests.Hosting;

/// <summary>The example application (Broker.Example) runs as its own process; a NATS.Net client talks to its actor and its stream.</summary>
public class ExampleAppTests
{
    [Fact]
    public async Task A_nats_client_gets_quotes_from_the_actor_and_its_orders_reach_the_stream()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Broker.Example.dll"), "--port", port.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var lines = new System.Collections.Concurrent.BlockingCollection<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Add(e.Data); };
        process.BeginOutputReadLine();
        try
        {
            var seen = new List<string>();
            await WaitForLineAsync(lines, seen, "quote service ready");
            await WaitForLineAsync(lines, seen, "order log subscribed");
            await using var client = await NatsClients.ConnectAsync($"nats://127.0.0.1:{port}");

            Assert.Equal("apple: 0.5", (await client.RequestAsync<string, string>("quote.get", "apple")).Data);
            await client.PublishAsync("orders.new", "2 pears");

            await WaitForLineAsync(lines, seen, "order on orders.new: 2 pears");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task WaitForLineAsync(System.Collections.Concurrent.BlockingCollection<string> lines, List<string> seen, string text)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Task.Run(() =>
        {
            while (!seen.Any(l => l.Contains(text))) seen.Add(lines.Take(cancel.Token));
        });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
