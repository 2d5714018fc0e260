using System.Runtime.InteropServices;
using Broker.Tests.Host;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Cluster;

/// <summary>SIGHUP with a changed <c>cluster</c> block on a real Broker.Host: routes reload, listen and name do not.</summary>
public class ClusterRoutesReloadTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private static string Config(ClusterBlock block, string name, int listen, IEnumerable<int> routes) =>
        "host: 127.0.0.1\nport: -1\nlogtime: false\n" +
        $"cluster {{\n  name: {name}\n  listen: \"127.0.0.1:{block.RoutePorts[listen]}\"\n" +
        $"  routes: [ {string.Join(", ", routes.Select(i => $"\"{block.RouteUrl(i)}\""))} ]\n}}\n";

    private static async Task<string> ReloadAsync(HostProcess host, string file, string text)
    {
        var before = host.Output.Count;
        File.WriteAllText(file, text);
        Assert.Equal(0, kill(host.Process.Id, 1));
        return await host.WaitForLineAsync("server configuration", before);
    }

    [Fact]
    public async Task Routes_are_reloaded_and_listen_or_name_changes_are_refused_with_nats_servers_text()
    {
        var block = ClusterBlock.Plan(3);
        var file = SignalTests.TempConfig(Config(block, "c1", 0, [0, 1]));
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var port = await host.ListeningPort;
            await host.Ready;

            var added = await ReloadAsync(host, file, Config(block, "c1", 0, [0, 1, 2]));
            Assert.EndsWith("[INF] Reloaded server configuration", added);
            Assert.Contains(host.Output, l => l.EndsWith("[INF] Reloaded: cluster routes", StringComparison.Ordinal));

            var removed = await ReloadAsync(host, file, Config(block, "c1", 0, [0]));
            Assert.EndsWith("[INF] Reloaded server configuration", removed);

            var moved = await ReloadAsync(host, file, Config(block, "c1", 1, [0]));
            Assert.EndsWith("[ERR] Failed to reload server configuration: config reload not supported for cluster host/port", moved);
            var renamed = await ReloadAsync(host, file, Config(block, "c2", 0, [0]));
            Assert.EndsWith("[ERR] Failed to reload server configuration: config reload not supported for cluster name: old=c1, new=c2", renamed);

            await using var client = await RawClient.ConnectAsync(port);
            await client.SendAsync("CONNECT {\"verbose\":false}\r\nPING\r\n");
            Assert.Equal("PONG\r\n", (await client.ReadUntilAsync("PONG\r\n")).Replace("PING\r\n", ""));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
