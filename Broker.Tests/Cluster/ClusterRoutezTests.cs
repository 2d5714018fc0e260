using System.Text.Json.Nodes;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using Broker.Tests.Monitoring;

namespace Broker.Tests.Cluster;

/// <summary>
/// /routez and /varz on a cluster: one route per other node, with counters that grow as messages
/// cross, and routes that go when their node does. Nodes run without a system account, so the
/// only messages crossing are the test's own and the counters can be checked exactly.
/// </summary>
public class ClusterRoutezTests
{
    private static Task<TestCluster> StartAsync(int size, int? count = null) =>
        TestCluster.StartAsync(size, count, o => o with { HttpPort = 0, NoSystemAccount = true });

    [Fact]
    public async Task Routez_lists_every_other_node_and_counts_the_messages_that_cross()
    {
        await using var cluster = await StartAsync(3);
        using var http0 = Http(cluster[0]);
        using var http1 = Http(cluster[1]);
        using var http2 = Http(cluster[2]);

        foreach (var (http, self) in new[] { (http0, 0), (http1, 1), (http2, 2) })
        {
            var routez = await http.WaitForAsync("/routez", r => RemoteIds(r).Count == 2);
            Assert.Equal(2, (int)routez["num_routes"]!);
            Assert.Equal(Enumerable.Range(0, 3).Where(i => i != self).Select(i => NodeId(cluster[i])).Order(), RemoteIds(routez).Order());
            var route = Route(routez, NodeId(cluster[(self + 1) % 3]));
            Assert.True((bool)route["is_configured"]!);
            Assert.Equal("127.0.0.1", (string)route["ip"]!);
            Assert.Equal(cluster[(self + 1) % 3].Server.Context.Options.Cluster!.Listen.Port, (int)route["port"]!);
            Assert.Equal(0L, (long)route["out_msgs"]!);
            Assert.Equal(0L, (long)route["in_msgs"]!);
        }

        // The round trip is measured when a route comes up.
        await http0.WaitForAsync("/routez", r => r["routes"]!.AsArray().All(route => (string)route!["rtt"]! != "0s"));

        // A subscriber on node 1; ten 5-byte messages published on node 0 cross to it, and to no one else.
        await using var subscriber = await RawClient.ConnectAsync(cluster[1].Server.ClientEndpoint.Port);
        await subscriber.SendAsync("CONNECT {\"verbose\":false}\r\nSUB orders.new 1\r\nPING\r\n");
        await subscriber.ReadUntilAsync("PONG\r\n");
        await cluster[0].WaitRemoteInterestAsync("orders.new");
        await using var publisher = await NatsClients.ConnectAsync(cluster[0].Url);
        for (var i = 0; i < 10; i++) await publisher.PublishAsync("orders.new", "hello"u8.ToArray());
        await publisher.PingAsync();
        for (var i = 0; i < 10; i++) await subscriber.ReadUntilAsync("hello\r\n");

        var out01 = Route(await http0.WaitForAsync("/routez", r => Long(Route(r, NodeId(cluster[1])), "out_msgs") == 10), NodeId(cluster[1]));
        Assert.Equal(50L, (long)out01["out_bytes"]!);
        Assert.Equal(0L, (long)out01["in_msgs"]!);
        Assert.True((int)out01["subscriptions"]! >= 1, out01.ToJsonString());
        var in10 = Route(await http1.WaitForAsync("/routez", r => Long(Route(r, NodeId(cluster[0])), "in_msgs") == 10), NodeId(cluster[0]));
        Assert.Equal(50L, (long)in10["in_bytes"]!);
        Assert.Equal(0L, (long)in10["out_msgs"]!);
        var to2 = Route(await http0.GetJsonAsync("/routez"), NodeId(cluster[2]));
        Assert.Equal(0L, (long)to2["out_msgs"]!);

        // The subscriber's interest is what node 0 holds from node 1.
        var listed = Route(await http0.GetJsonAsync("/routez?subs=1"), NodeId(cluster[1]));
        Assert.Contains("orders.new", listed["subscriptions_list"]!.AsArray().Select(s => (string)s!));
        var detail = Route(await http0.GetJsonAsync("/routez?subs=detail"), NodeId(cluster[1]));
        var orders = detail["subscriptions_list_detail"]!.AsArray().Single(d => (string)d!["subject"]! == "orders.new")!;
        Assert.Equal("$G orders.new", (string)orders["sid"]!);
        Assert.Equal((long)detail["rid"]!, (long)orders["cid"]!);
    }

    [Fact]
    public async Task A_node_that_leaves_disappears_from_routez_and_varz()
    {
        await using var cluster = await StartAsync(3);
        using var http0 = Http(cluster[0]);
        await http0.WaitForAsync("/routez", r => RemoteIds(r).Count == 2);
        var leaving = NodeId(cluster[2]);

        await cluster[2].LeaveAsync();

        var routez = await http0.WaitForAsync("/routez", r => !RemoteIds(r).Contains(leaving), timeoutSeconds: 30);
        Assert.Equal([NodeId(cluster[1])], RemoteIds(routez));
        Assert.Equal(1, (int)routez["num_routes"]!);
        var varz = await http0.GetJsonAsync("/varz");
        Assert.Equal(1, (int)varz["routes"]!);
        Assert.Equal(1, (int)varz["remotes"]!);
    }

    [Fact]
    public async Task Varz_shows_the_cluster_block_routes_and_connect_urls()
    {
        await using var cluster = await StartAsync(2);
        using var http = Http(cluster[0]);
        var options = cluster[0].Server.Context.Options.Cluster!;

        var varz = await http.WaitForAsync("/varz", v => Long(v, "routes") == 1);
        var section = varz["cluster"]!.AsObject();
        Assert.Equal(["name", "addr", "cluster_port", "auth_timeout", "urls", "tls_timeout"], section.Select(p => p.Key));
        Assert.Equal("test", (string)section["name"]!);
        Assert.Equal("127.0.0.1", (string)section["addr"]!);
        Assert.Equal(options.Listen.Port, (int)section["cluster_port"]!);
        Assert.Equal(options.Routes.Select(r => $"127.0.0.1:{r.Port}"), section["urls"]!.AsArray().Select(u => (string)u!));
        Assert.Equal(2.0, (double)section["auth_timeout"]!);
        Assert.Equal(2.0, (double)section["tls_timeout"]!);
        Assert.Equal(1, (int)varz["remotes"]!);
        Assert.Equal(
            [$"127.0.0.1:{cluster[0].Server.ClientEndpoint.Port}", $"127.0.0.1:{cluster[1].Server.ClientEndpoint.Port}"],
            varz["connect_urls"]!.AsArray().Select(u => (string)u!));
    }

    private static MonitorClient Http(TestCluster.Node node) => new(node.Server.MonitorEndpoint!);

    private static string NodeId(TestCluster.Node node) => Akka.Cluster.Cluster.Get(node.System).SelfAddress.ToString();

    private static List<string> RemoteIds(JsonObject routez) => routez["routes"]!.AsArray().Select(r => (string)r!["remote_id"]!).ToList();

    private static JsonObject Route(JsonObject routez, string node) =>
        routez["routes"]!.AsArray().SingleOrDefault(r => (string)r!["remote_id"]! == node)?.AsObject() ?? new JsonObject();

    private static long Long(JsonObject json, string key) => json[key] is { } value ? (long)value : -1;
}
