using System.Net.Sockets;
using System.Text;
using Broker.Tests.Differential;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Wire;

/// <summary>Issue 13: before authentication a connection holds at most a control line of the broker's memory.</summary>
public class UnauthenticatedBoundsTests
{
    private static readonly string Oversized = "CONNECT {\"name\":\"" + new string('x', 5000) + "\"}\r\n";

    [Fact]
    public async Task A_connect_past_max_control_line_gets_nats_servers_error()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync(Oversized);
        var answer = await client.ReadToCloseAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("-ERR 'maximum control line exceeded'", answer);
    }

    [NatsServerFact]
    public async Task Nats_server_answers_an_oversized_connect_the_same()
    {
        await using var server = await NatsServerProcess.StartAsync();
        await using var client = await RawClient.ConnectAsync(server.Port);
        await client.SendAsync(Oversized);
        var answer = await client.ReadToCloseAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("-ERR 'maximum control line exceeded'", answer);
    }

    [Fact]
    public async Task A_thousand_connections_holding_oversized_or_unfinished_connects_leave_memory_bounded()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { Users = [new Broker.Configuration.UserOptions("u", "p", "$G")] });
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var unfinished = Encoding.ASCII.GetBytes("CONNECT {\"user\":\"u\",\"pass\":\"" + new string('x', 4000));
        // Unfinished too, and far past the control line: before the limit applied to CONNECT each held up to 1 MiB.
        var oversized = Encoding.ASCII.GetBytes("CONNECT {\"user\":\"u\",\"pass\":\"" + new string('x', 64 * 1024));
        var clients = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 1000; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", broker.Port);
                await client.GetStream().WriteAsync(i % 2 == 0 ? unfinished : oversized);
                clients.Add(client);
            }
            // Every byte sent has been read by the broker: the oversized half closed, the unfinished half waits.
            var until = DateTime.UtcNow.AddSeconds(30);
            while (broker.Server.Context.Connections.Count > 500 && DateTime.UtcNow < until) await Task.Delay(20);
            var after = GC.GetTotalMemory(forceFullCollection: true);
            var grownMb = (after - before) / (1024.0 * 1024.0);
            Assert.True(grownMb < 32, $"managed heap grew {grownMb:F1} MB for 1,000 connections");
            Console.WriteLine($"managed heap grew {grownMb:F1} MB for 1,000 unauthenticated connections");
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }
}
