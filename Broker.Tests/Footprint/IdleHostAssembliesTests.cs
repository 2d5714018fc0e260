using Broker.Tests.Host;
using Broker.Tests.Infrastructure;
using Xunit;

namespace Broker.Tests.Footprint;

/// <summary>
/// A single broker without a <c>cluster</c> block or <c>http_port</c> does not load remoting or the
/// web server, which only those need: each such assembly costs resident memory and start time on
/// every idle broker. (Akka.Cluster.dll itself is still mapped: its first use is compiled with the
/// broker's start method.) Linux: reads /proc.
/// </summary>
public class IdleHostAssembliesTests
{
    [Fact]
    public async Task A_broker_without_cluster_or_monitoring_does_not_load_their_assemblies()
    {
        await using var host = HostProcess.Start("-a", "127.0.0.1", "-p", "0");
        var port = await host.ListeningPort;
        await host.Ready;
        // A message through, so the whole client path has been compiled and loaded.
        await using var client = await RawClient.ConnectAsync(port);
        await client.SendAsync("CONNECT {\"verbose\":false}\r\nSUB a 1\r\nPUB a 2\r\nhi\r\nPING\r\n");
        Assert.Equal("MSG a 1 2\r\nhi\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));

        var mapped = File.ReadAllLines($"/proc/{host.Process.Id}/maps")
            .Select(line => Path.GetFileName(line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? ""))
            .Where(name => name.EndsWith(".dll", StringComparison.Ordinal))
            .ToHashSet();
        Assert.Contains("Akka.dll", mapped); // the check itself sees assemblies
        Assert.DoesNotContain("Akka.Remote.dll", mapped);
        Assert.DoesNotContain(mapped, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
