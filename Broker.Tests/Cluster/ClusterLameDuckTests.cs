using System.Text.Json;
using Broker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Broker.Tests.Cluster;

/// <summary>Lame duck mode on one node of a cluster: its clients are sent to the others, /healthz says 503.</summary>
public class ClusterLameDuckTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_node_in_lame_duck_mode_sends_its_clients_the_other_nodes_urls_only_then_leaves_and_exits_0()
    {
        await using var cluster = new BrokerProcessCluster(2, "logtime: false\nlame_duck_duration: 30s\nlame_duck_grace_period: 1s\nhttp_port: -1\n");
        try
        {
            await cluster.StartAsync(ClusterLaunch.ConfigFile, 0, 1);
            await using var client = await RawClient.ConnectAsync(cluster.ClientPort(1));
            await client.SendAsync("CONNECT {\"verbose\":false,\"protocol\":1}\r\nPING\r\n");
            await client.ReadUntilAsync("PONG\r\n");
            await using var peerClient = await RawClient.ConnectAsync(cluster.ClientPort(0));
            await peerClient.SendAsync("CONNECT {\"verbose\":false,\"protocol\":1}\r\nPING\r\n");
            await peerClient.ReadUntilAsync("PONG\r\n");

            cluster.Signal(1, 12);

            // The other node stops advertising it at once, not only when it has left.
            var peerInfo = await peerClient.ReadLineAsync(TimeSpan.FromSeconds(10));
            Assert.False(cluster.HasExited(1));
            Assert.DoesNotContain(cluster.Log(1), l => l.Contains("Closing existing clients", StringComparison.Ordinal));
            using (var peerJson = JsonDocument.Parse(peerInfo["INFO ".Length..]))
            {
                Assert.Equal(new[] { $"127.0.0.1:{cluster.ClientPort(0)}" },
                    peerJson.RootElement.GetProperty("connect_urls").EnumerateArray().Select(u => u.GetString()!).ToArray());
            }

            var info = await client.ReadLineAsync(TimeSpan.FromSeconds(10));
            using var json = JsonDocument.Parse(info["INFO ".Length..]);
            Assert.True(json.RootElement.GetProperty("ldm").GetBoolean());
            var urls = json.RootElement.GetProperty("connect_urls").EnumerateArray().Select(u => u.GetString()!).ToArray();
            Assert.Equal(new[] { $"127.0.0.1:{cluster.ClientPort(0)}" }, urls);

            // Monitoring stays up through the grace period and says the node takes no clients.
            var monitor = cluster.Log(1).Single(l => l.Contains("Starting http monitor on 127.0.0.1:", StringComparison.Ordinal));
            using (var http = new HttpClient())
            {
                var health = await http.GetAsync($"http://127.0.0.1:{monitor[(monitor.LastIndexOf(':') + 1)..]}/healthz");
                Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, health.StatusCode);
            }

            Assert.Equal("", await client.ReadToCloseAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(0, await cluster.WaitForExitAsync(1));
            Assert.DoesNotContain(cluster.Log(1), l => l.Contains("[ERR]", StringComparison.Ordinal) || l.Contains("[FTL]", StringComparison.Ordinal));
            await cluster.WaitFormedAsync();
        }
        finally
        {
            output.WriteLine(cluster.Describe());
        }
    }
}
