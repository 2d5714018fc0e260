using System.Text.Json.Nodes;
using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using Broker.Tests.Monitoring;
using static Broker.Tests.Gateways.TestSupercluster;

namespace Broker.Tests.Gateways;

/// <summary>
/// /gatewayz and /varz's <c>gateway</c> on a supercluster of two 2-node regions: each node's link
/// to the other region and the links from it, with counters that grow as messages cross, and
/// links that go when their region does and come back with it. Nodes run without a system
/// account, so the only messages crossing are the test's own and the counters can be checked exactly.
/// </summary>
public class GatewayzTests
{
    private static Task<TestSupercluster> StartAsync() =>
        TestSupercluster.StartAsync(2, o => o with { HttpPort = 0, NoSystemAccount = true }, "east", "west");

    [Fact]
    public async Task Gatewayz_lists_the_link_to_the_other_region_the_links_from_it_and_counts_what_crosses()
    {
        await using var super = await StartAsync();
        var all = super.Regions.Values.SelectMany(r => r.Nodes).ToList();

        // Every node: one outbound link, to a node of the other region, named by that node's id.
        foreach (var node in all)
        {
            var (region, other) = Region(super, node) == "east" ? ("east", "west") : ("west", "east");
            using var http = Http(node);
            var gatewayz = await http.WaitForAsync("/gatewayz", g => Outbound(g, other) is not null);
            Assert.Equal(region, (string)gatewayz["name"]!);
            Assert.Equal("127.0.0.1", (string)gatewayz["host"]!);
            Assert.Equal(Gateway(node).Options.Listen.Port, (int)gatewayz["port"]!);
            Assert.Equal([other], gatewayz["outbound_gateways"]!.AsObject().Select(p => p.Key));
            Assert.True((bool)gatewayz["outbound_gateways"]![other]!["configured"]!);
            var link = Outbound(gatewayz, other)!;
            Assert.Equal("Gateway", (string)link["kind"]!);
            Assert.Equal("127.0.0.1", (string)link["ip"]!);
            Assert.Contains((int)link["port"]!, super[other].Nodes.Select(n => Gateway(n).Options.Listen.Port));
            Assert.Contains((string)link["name"]!, super[other].Nodes.Select(NodeId));
            Assert.True((long)link["cid"]! > 0);
            Assert.Null(link["type"]);
        }

        // Each outbound link shows up at its other end as an inbound one from the node that opened it: two per region in all.
        foreach (var (region, other) in new[] { ("east", "west"), ("west", "east") })
        {
            await Eventually.Async(
                () => super[region].Nodes.Sum(n => Gateway(n).Inbound!.Connections.Count(c => c.State.From is not null)) == 2,
                $"{region} to have an inbound link from each {other} node");
            foreach (var node in super[other].Nodes)
            {
                using var from = Http(node);
                var target = NodeById(super[region], (string)Outbound(await from.GetJsonAsync("/gatewayz"), region)!["name"]!);
                using var to = Http(target);
                var inbound = await to.GetJsonAsync("/gatewayz");
                var links = inbound["inbound_gateways"]![other]!.AsArray().Select(l => l!["connection"]!).ToList();
                Assert.Contains(NodeId(node), links.Select(l => (string)l["name"]!));
                Assert.All(inbound["inbound_gateways"]![other]!.AsArray(), l => Assert.False((bool)l!["configured"]!));
            }
        }

        // Ten 5-byte messages from east 0 to a subscriber on west 1: they leave on east 0's link and arrive on that link's other end.
        var (a0, b1) = (super["east"][0], super["west"][1]);
        await using var subscriber = await RawClient.ConnectAsync(b1.Server.ClientEndpoint.Port);
        await subscriber.SendAsync("CONNECT {\"verbose\":false}\r\nSUB orders.new 1\r\nPING\r\n");
        await subscriber.ReadUntilAsync("PONG\r\n");
        await WaitRegionInterestAsync(a0, "orders.new");
        using var httpA0 = Http(a0);
        var before = Outbound(await httpA0.GetJsonAsync("/gatewayz"), "west")!;
        Assert.Equal(0L, (long)before["out_msgs"]!);
        Assert.True((int)before["subscriptions"]! >= 1, before.ToJsonString());
        await using var publisher = await NatsClients.ConnectAsync(a0.Url);
        for (var i = 0; i < 10; i++) await publisher.PublishAsync("orders.new", "hello"u8.ToArray());
        await publisher.PingAsync();
        for (var i = 0; i < 10; i++) await subscriber.ReadUntilAsync("hello\r\n");

        var sent = Outbound(await httpA0.WaitForAsync("/gatewayz", g => Long(Outbound(g, "west"), "out_msgs") == 10), "west")!;
        Assert.True((long)sent["out_bytes"]! > 50, sent.ToJsonString());
        Assert.Equal(0L, (long)sent["in_msgs"]!);
        Assert.Equal((long)before["cid"]!, (long)sent["cid"]!);
        using var httpB = Http(NodeById(super["west"], (string)sent["name"]!));
        // The bytes are counted once per received batch, after its messages: waited for together with them.
        var received = await httpB.WaitForAsync("/gatewayz", g => Long(InboundFrom(g, "east", NodeId(a0)), "in_msgs") == 10 && Long(InboundFrom(g, "east", NodeId(a0)), "in_bytes") > 50);
        var arrived = InboundFrom(received, "east", NodeId(a0))!;
        Assert.Equal(0L, (long)arrived["out_msgs"]!);
        Assert.True(DateTime.Parse((string)arrived["last_activity"]!) >= DateTime.Parse((string)arrived["start"]!));

        // accs=1: the interest that crosses, by account; acc_name keeps one account.
        var accounts = (await httpA0.GetJsonAsync("/gatewayz?accs=1"))["outbound_gateways"]!["west"]!["accounts"]!.AsArray();
        var global = Assert.Single(accounts)!;
        Assert.Equal("$G", (string)global["name"]!);
        Assert.Equal("Interest-Only", (string)global["interest_mode"]!);
        Assert.True((int)global["num_subs"]! >= 1);
        Assert.Null((await httpA0.GetJsonAsync("/gatewayz"))["outbound_gateways"]!["west"]!["accounts"]);
        Assert.Null((await httpA0.GetJsonAsync("/gatewayz?acc_name=nobody"))["outbound_gateways"]!["west"]!["accounts"]);
        Assert.Single((await httpA0.GetJsonAsync("/gatewayz?acc_name=$G"))["outbound_gateways"]!["west"]!["accounts"]!.AsArray());
        var inboundAccounts = (await httpB.GetJsonAsync("/gatewayz?accs=1"))["inbound_gateways"]!["east"]![0]!["accounts"]!.AsArray();
        Assert.Equal("$G", (string)inboundAccounts.Single()!["name"]!);

        // gw_name: that region only; an unknown one gives nats-server's null outbound map and an empty inbound one.
        var west = await httpA0.GetJsonAsync("/gatewayz?gw_name=west");
        Assert.Equal(["west"], west["outbound_gateways"]!.AsObject().Select(p => p.Key));
        var none = await httpA0.GetJsonAsync("/gatewayz?gw_name=north");
        Assert.True(none.ContainsKey("outbound_gateways"));
        Assert.Null(none["outbound_gateways"]);
        Assert.Empty(none["inbound_gateways"]!.AsObject());
        Assert.Equal(400, (await httpA0.GetAsync("/gatewayz?accs=maybe")).Status);
    }

    [Fact]
    public async Task A_region_that_goes_away_leaves_gatewayz_and_is_listed_again_when_it_returns()
    {
        await using var super = await StartAsync();
        var east = super["east"];
        using var http0 = Http(east[0]);
        using var http1 = Http(east[1]);
        var first = Outbound(await http0.WaitForAsync("/gatewayz", g => Outbound(g, "west") is not null), "west")!;

        await Task.WhenAll(super["west"][0].StopAsync(), super["west"][1].StopAsync());

        foreach (var http in new[] { http0, http1 })
        {
            var gone = await http.WaitForAsync("/gatewayz", g => g["outbound_gateways"]!.AsObject().Count == 0 && g["inbound_gateways"]!.AsObject().Count == 0);
            Assert.Equal("east", (string)gone["name"]!);
        }
        var varz = await http0.GetJsonAsync("/varz");
        Assert.Equal("west", (string)varz["gateway"]!["gateways"]![0]!["name"]!);

        await super["west"].RestartAsync(0);
        await super["west"].RestartAsync(1);
        await super["west"].WaitFormedAsync();
        await super.WaitLinkedAsync();
        var again = Outbound(await http0.WaitForAsync("/gatewayz", g => Outbound(g, "west") is not null), "west")!;
        Assert.True((long)again["cid"]! > (long)first["cid"]!, $"{first} then {again}");
        Assert.Contains((string)again["name"]!, super["west"].Nodes.Select(NodeId));
        await Eventually.Async(
            () => east.Nodes.Sum(n => Gateway(n).Inbound!.Connections.Count(c => c.State.From?.Region == "west")) == 2,
            "east to have an inbound link from each west node again");
    }

    [Fact]
    public async Task Varz_shows_the_gateway_block_with_the_urls_learned_from_the_other_region()
    {
        await using var super = await StartAsync();
        var node = super["east"][0];
        using var http = Http(node);
        var westUrls = super["west"].Nodes.Select(n => $"127.0.0.1:{Gateway(n).Options.Listen.Port}").ToList();

        // Configured with west's first node only; the second is learned from west's INFO.
        var varz = await http.WaitForAsync("/varz", v => v["gateway"]!["gateways"]![0]!["urls"]!.AsArray().Count == 2);
        var section = varz["gateway"]!.AsObject();
        Assert.Equal(["name", "host", "port", "auth_timeout", "tls_timeout", "gateways"], section.Select(p => p.Key));
        Assert.Equal("east", (string)section["name"]!);
        Assert.Equal("127.0.0.1", (string)section["host"]!);
        Assert.Equal(Gateway(node).Options.Listen.Port, (int)section["port"]!);
        Assert.Equal(2.0, (double)section["auth_timeout"]!);
        var remote = Assert.Single(section["gateways"]!.AsArray())!;
        Assert.Equal("west", (string)remote["name"]!);
        Assert.Equal(westUrls, remote["urls"]!.AsArray().Select(u => (string)u!));
    }

    private static MonitorClient Http(TestCluster.Node node) => new(node.Server.MonitorEndpoint!);

    private static string NodeId(TestCluster.Node node) => Gateway(node).Local.Node;

    private static TestCluster.Node NodeById(TestCluster region, string id) => region.Nodes.Single(n => NodeId(n) == id);

    private static string Region(TestSupercluster super, TestCluster.Node node) => super.Regions.Single(r => r.Value.Nodes.Contains(node)).Key;

    /// <summary>The connection of the outbound link to <paramref name="region"/>; null when not listed.</summary>
    private static JsonObject? Outbound(JsonObject gatewayz, string region) =>
        gatewayz["outbound_gateways"]?[region]?["connection"]?.AsObject();

    /// <summary>The connection of the inbound link from <paramref name="node"/> of <paramref name="region"/>; null when not listed.</summary>
    private static JsonObject? InboundFrom(JsonObject gatewayz, string region, string node) =>
        gatewayz["inbound_gateways"]?[region]?.AsArray().Select(l => l!["connection"]!.AsObject()).SingleOrDefault(c => (string)c["name"]! == node);

    private static long Long(JsonObject? json, string key) => json?[key] is { } value ? (long)value : -1;
}
