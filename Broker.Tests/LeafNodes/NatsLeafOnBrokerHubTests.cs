using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using static Broker.Tests.LeafNodes.LeafTestSupport;

namespace Broker.Tests.LeafNodes;

/// <summary>A real nats-server 2.9 leaf connected to an in-process Broker hub: the wire both ways.</summary>
public sealed class NatsLeafOnBrokerHubTests
{
    [NatsServerFact]
    public async Task Messages_requests_and_headers_cross_both_ways_in_order()
    {
        await using var hub = await StartHubAsync();
        await using var leaf = await StartNatsLeafAsync(LeafUrl(hub));
        await WaitLinkAsync(hub);
        await using var onHub = await NatsClients.ConnectAsync(hub.Url);
        await using var onLeaf = await NatsClients.ConnectAsync($"nats://127.0.0.1:{leaf.Port}");

        // Leaf to hub, 1,000 in order, the first with headers.
        await using var atHub = await onHub.SubscribeCoreAsync<string>("up.>");
        await WaitNatsInterestAsync(leaf, "up.>");
        for (var i = 0; i < 1000; i++) await onLeaf.PublishAsync("up.x", $"m{i}", headers: i == 0 ? new NatsHeaders { ["X-Leaf"] = "yes" } : null);
        var up = await NatsClients.ReadAsync(atHub, 1000);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"m{i}"), up.Select(m => m.Data));
        Assert.Equal("yes", up[0].Headers?["X-Leaf"].ToString());

        // Hub to leaf, likewise.
        await using var atLeaf = await onLeaf.SubscribeCoreAsync<string>("down");
        await WaitInterestAsync(hub, "down");
        for (var i = 0; i < 1000; i++) await onHub.PublishAsync("down", $"d{i}", headers: i == 0 ? new NatsHeaders { ["X-Hub"] = "yes" } : null);
        var down = await NatsClients.ReadAsync(atLeaf, 1000);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"d{i}"), down.Select(m => m.Data));
        Assert.Equal("yes", down[0].Headers?["X-Hub"].ToString());

        // Requests across, each way.
        await using var hubService = await onHub.SubscribeCoreAsync<string>("svc.hub");
        await using var leafService = await onLeaf.SubscribeCoreAsync<string>("svc.leaf");
        var serving = Task.WhenAll(Serve(hubService, "hub"), Serve(leafService, "leaf"));
        await WaitNatsInterestAsync(leaf, "svc.hub");
        await WaitInterestAsync(hub, "svc.leaf");
        Assert.Equal("hub:1", (await onLeaf.RequestAsync<string, string>("svc.hub", "1")).Data);
        Assert.Equal("leaf:2", (await onHub.RequestAsync<string, string>("svc.leaf", "2")).Data);
        await hubService.UnsubscribeAsync();
        await leafService.UnsubscribeAsync();
        await serving;
    }

    [NatsServerFact]
    public async Task A_queue_group_with_members_on_both_sides_gets_each_message_once()
    {
        await using var hub = await StartHubAsync();
        await using var leaf = await StartNatsLeafAsync(LeafUrl(hub));
        await WaitLinkAsync(hub);
        await using var onHub = await NatsClients.ConnectAsync(hub.Url);
        await using var onLeaf = await NatsClients.ConnectAsync($"nats://127.0.0.1:{leaf.Port}");
        await using var hubMember = await onHub.SubscribeCoreAsync<int>("work", queueGroup: "workers");
        await using var leafMember = await onLeaf.SubscribeCoreAsync<int>("work", queueGroup: "workers");
        await WaitInterestAsync(hub, "work workers");
        // nats-server's subscriptions_list names a queue interest by its subject alone.
        await WaitNatsInterestAsync(leaf, "work");

        for (var i = 0; i < 200; i++) await onHub.PublishAsync("work", i);
        for (var i = 200; i < 400; i++) await onLeaf.PublishAsync("work", i);
        await onHub.PingAsync();
        await onLeaf.PingAsync();
        var got = await DrainAsync([hubMember, leafMember], 400);
        Assert.Equal(Enumerable.Range(0, 400), got.Order());

        // With the hub's member gone, the hub's messages go to the leaf's.
        await hubMember.UnsubscribeAsync();
        await onHub.PingAsync();
        for (var i = 0; i < 50; i++) await onHub.PublishAsync("work", i);
        Assert.Equal(Enumerable.Range(0, 50), (await NatsClients.ReadAsync(leafMember, 50)).Select(m => m.Data));
    }

    [NatsServerFact]
    public async Task Interest_comes_back_after_either_side_restarts()
    {
        var leafPort = FreePort();
        var hub = await StartHubAsync(leafPort);
        await using var leaf = await StartNatsLeafAsync($"nats://127.0.0.1:{leafPort}");
        await WaitLinkAsync(hub);
        await using var onLeaf = await NatsClients.ConnectAsync($"nats://127.0.0.1:{leaf.Port}");
        await using var atLeaf = await onLeaf.SubscribeCoreAsync<string>("kept");
        await onLeaf.PingAsync();

        // The hub restarts on the same leafnode port: the leaf reconnects and tells its interest again.
        await hub.DisposeAsync();
        await using var hub2 = await StartHubAsync(leafPort);
        await WaitInterestAsync(hub2, "kept");
        await using var onHub = await NatsClients.ConnectAsync(hub2.Url);
        await onHub.PublishAsync("kept", "after hub restart");
        Assert.Equal("after hub restart", (await NatsClients.ReadAsync(atLeaf, 1))[0].Data);

        // A new leaf process: the hub tells it the hub's interest in its burst.
        await using var atHub = await onHub.SubscribeCoreAsync<string>("from.leaf");
        await onHub.PingAsync();
        await using var leaf2 = await StartNatsLeafAsync($"nats://127.0.0.1:{leafPort}", "natsleaf2");
        await WaitNatsInterestAsync(leaf2, "from.leaf");
        await using var onLeaf2 = await NatsClients.ConnectAsync($"nats://127.0.0.1:{leaf2.Port}");
        await onLeaf2.PublishAsync("from.leaf", "new leaf");
        Assert.Equal("new leaf", (await NatsClients.ReadAsync(atHub, 1))[0].Data);
    }

    private static async Task Serve(INatsSub<string> service, string name)
    {
        await foreach (var msg in service.Msgs.ReadAllAsync()) await msg.ReplyAsync($"{name}:{msg.Data}");
    }

    /// <summary>
    /// Reads <paramref name="count"/> messages from the subscriptions together: a duplicate among
    /// them leaves some number missing, so comparing with the numbers sent catches both.
    /// </summary>
    internal static async Task<List<int>> DrainAsync(INatsSub<int>[] subs, int count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var got = new List<int>();
        var pending = subs.Select(s => s.Msgs.ReadAsync(cts.Token).AsTask()).ToArray();
        while (got.Count < count)
        {
            var done = await Task.WhenAny(pending);
            var i = Array.IndexOf(pending, done);
            got.Add((await done).Data);
            pending[i] = subs[i].Msgs.ReadAsync(cts.Token).AsTask();
        }
        // The reads still waiting go, so they take nothing meant for later reads; one that got a message keeps it (an extra fails the caller's check).
        cts.Cancel();
        foreach (var read in pending)
        {
            try
            {
                got.Add((await read).Data);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return got;
    }
}

/// <summary>/leafz and /varz's leaf part next to nats-server's, with a nats-server leaf on each hub.</summary>
public sealed class LeafMonitoringDifferentialTests
{
    [NatsServerFact]
    public async Task Leafz_and_varz_leaf_have_nats_servers_keys()
    {
        var natsLeafPort = FreePort();
        await using var natsHub = await StartNatsHubAsync(natsLeafPort);
        await using var natsLeaf = await StartNatsLeafAsync($"nats://127.0.0.1:{natsLeafPort}", "oracleleaf");
        await using var hub = await StartHubAsync(configure: o => o with { HttpPort = 0 });
        await using var leaf = await StartNatsLeafAsync(LeafUrl(hub), "ourleaf");
        await WaitLinkAsync(hub);
        await using var onHub = await NatsClients.ConnectAsync(hub.Url);
        await using var onNatsHub = await NatsClients.ConnectAsync($"nats://127.0.0.1:{natsHub.Port}");
        await using var s1 = await onHub.SubscribeCoreAsync<string>("watched");
        await using var s2 = await onNatsHub.SubscribeCoreAsync<string>("watched");
        await WaitNatsInterestAsync(leaf, "watched");
        await WaitNatsInterestAsync(natsLeaf, "watched");
        await using var onLeaf = await NatsClients.ConnectAsync($"nats://127.0.0.1:{leaf.Port}");
        await using var atLeaf = await onLeaf.SubscribeCoreAsync<string>("leafside");
        await WaitInterestAsync(hub, "leafside");

        using var http = new HttpClient();
        var ours = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{hub.Server.MonitorEndpoint!.Port}/leafz?subs=1"))!;
        System.Text.Json.Nodes.JsonNode theirs;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            theirs = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{natsHub.MonitorPort}/leafz?subs=1"))!;
        }
        while ((int)theirs["leafnodes"]! == 0 && DateTime.UtcNow < deadline);
        Assert.Equal(Keys(theirs), Keys(ours));
        Assert.Equal(Keys(theirs["leafs"]![0]!), Keys(ours["leafs"]![0]!));
        Assert.Equal(1, (int)ours["leafnodes"]!);
        Assert.Contains("leafside", ours["leafs"]![0]!["subscriptions_list"]!.AsArray().Select(n => (string?)n));

        var ourVarz = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{hub.Server.MonitorEndpoint!.Port}/varz"))!;
        var theirVarz = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{natsHub.MonitorPort}/varz"))!;
        Assert.Equal(Keys(theirVarz["leaf"]!), Keys(ourVarz["leaf"]!));
        Assert.Equal(1, (int)ourVarz["leafnodes"]!);
    }

    private static string[] Keys(System.Text.Json.Nodes.JsonNode node) => node.AsObject().Select(p => p.Key).ToArray();
}
