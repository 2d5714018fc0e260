using Broker.Configuration;
using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using Broker.Tests.Gateways;
using static Broker.Tests.LeafNodes.LeafTestSupport;

namespace Broker.Tests.LeafNodes;

/// <summary>
/// Leaves that are clusters, and leaves of two regions: a two-node Broker cluster whose nodes each
/// have a remote to one hub (as nats-server leaf clusters share one config), and one leaf in each
/// region of a two-region Broker supercluster.
/// </summary>
public sealed class LeafClusterTopologyTests
{
    private static LeafNodeOptions RemoteTo(string hubUrl) => new()
    {
        Listens = false,
        Remotes = [new LeafRemoteOptions { Urls = [new Uri(hubUrl)], ReconnectBase = TimeSpan.FromMilliseconds(200) }],
    };

    [Fact]
    public async Task A_clustered_leaf_gets_each_hub_message_once_on_either_node_and_answers_back()
    {
        await using var hub = await StartHubAsync();
        await using var leaf = await TestCluster.StartAsync(2, configure: o => o with { LeafNodes = RemoteTo(LeafUrl(hub)) });
        await WaitLinkAsync(hub, 2);
        await WaitLinkAsync(leaf[0].Server);
        await WaitLinkAsync(leaf[1].Server);
        await using var onHub = await NatsClients.ConnectAsync(hub.Url);
        await using var on0 = await NatsClients.ConnectAsync(leaf[0].Url);
        await using var on1 = await NatsClients.ConnectAsync(leaf[1].Url);

        // Hub to a subscriber on node 1: through node 1's own link only, each message once, in order.
        await using var down = await on1.SubscribeCoreAsync<int>("cl.down");
        await WaitInterestAsync(hub, "cl.down");
        for (var i = 0; i < 200; i++) await onHub.PublishAsync("cl.down", i);
        await onHub.PublishAsync("cl.down", -1);
        Assert.Equal([.. Enumerable.Range(0, 200), -1], (await NatsClients.ReadAsync(down, 201)).Select(m => m.Data));

        // Node 0's publisher to the hub: the cluster does not carry it to node 1's link as well.
        await using var up = await onHub.SubscribeCoreAsync<int>("cl.up");
        await WaitInterestAsync(leaf[0].Server, "cl.up");
        await WaitInterestAsync(leaf[1].Server, "cl.up");
        for (var i = 0; i < 200; i++) await on0.PublishAsync("cl.up", i);
        Assert.Equal(Enumerable.Range(0, 200), (await NatsClients.ReadAsync(up, 200)).Select(m => m.Data));
        Assert.Equal(0, LinksOf(leaf[1].Server).Single().OutMessages);
        Assert.Equal(0, LinksOf(leaf[0].Server).Single().InMessages);

        // A service on node 1 answers the hub's requests, and node 0's requests reach a service on the hub.
        await using var leafService = await on1.SubscribeCoreAsync<string>("cl.svc");
        await using var hubService = await onHub.SubscribeCoreAsync<string>("hub.svc");
        var serving = Task.WhenAll(Serve(leafService, "leaf"), Serve(hubService, "hub"));
        await WaitInterestAsync(hub, "cl.svc");
        await WaitInterestAsync(leaf[0].Server, "hub.svc");
        Assert.Equal("leaf:1", (await onHub.RequestAsync<string, string>("cl.svc", "1")).Data);
        Assert.Equal("hub:2", (await on0.RequestAsync<string, string>("hub.svc", "2")).Data);
        await leafService.UnsubscribeAsync();
        await hubService.UnsubscribeAsync();
        await serving;
    }

    [Fact]
    public async Task Leaves_of_two_regions_exchange_messages_requests_and_queue_work_through_the_supercluster()
    {
        await using var super = await TestSupercluster.StartAsync(1, o => o with { LeafNodes = new LeafNodeOptions { Host = "127.0.0.1", Port = 0 } }, "east", "west");
        var (east, west) = (super["east"][0], super["west"][0]);
        await using var leafEast = await StartLeafAsync(LeafUrl(east.Server));
        await using var leafWest = await StartLeafAsync(LeafUrl(west.Server));
        await WaitLinkAsync(leafEast);
        await WaitLinkAsync(leafWest);
        await using var onEast = await NatsClients.ConnectAsync(leafEast.Url);
        await using var onWest = await NatsClients.ConnectAsync(leafWest.Url);

        // East's leaf to west's leaf, in order.
        await using var atWest = await onWest.SubscribeCoreAsync<int>("region.x");
        await TestSupercluster.WaitRegionInterestAsync(east, "region.x");
        await WaitInterestAsync(leafEast, "region.x");
        for (var i = 0; i < 200; i++) await onEast.PublishAsync("region.x", i);
        Assert.Equal(Enumerable.Range(0, 200), (await NatsClients.ReadAsync(atWest, 200)).Select(m => m.Data));

        // A request from west's leaf served behind east's leaf; the reply finds its way back.
        await using var service = await onEast.SubscribeCoreAsync<string>("region.svc");
        var serving = Serve(service, "east");
        await TestSupercluster.WaitRegionInterestAsync(west, "region.svc");
        await WaitInterestAsync(leafWest, "region.svc");
        Assert.Equal("east:ping", (await onWest.RequestAsync<string, string>("region.svc", "ping")).Data);
        await service.UnsubscribeAsync();
        await serving;

        // A queue group with a member behind each leaf: every message once.
        await using var memberEast = await onEast.SubscribeCoreAsync<int>("region.jobs", queueGroup: "g");
        await using var memberWest = await onWest.SubscribeCoreAsync<int>("region.jobs", queueGroup: "g");
        await TestSupercluster.WaitRegionInterestAsync(east, "region.jobs", "g");
        await WaitInterestAsync(east.Server, "region.jobs g");
        await using var onEastHub = await NatsClients.ConnectAsync(east.Url);
        for (var i = 0; i < 100; i++) await onEastHub.PublishAsync("region.jobs", i);
        var got = await NatsLeafOnBrokerHubTests.DrainAsync([memberEast, memberWest], 100);
        Assert.Equal(Enumerable.Range(0, 100), got.Order());
    }

    private static async Task Serve(NATS.Client.Core.INatsSub<string> service, string name)
    {
        await foreach (var msg in service.Msgs.ReadAllAsync()) await msg.ReplyAsync($"{name}:{msg.Data}");
    }
}
