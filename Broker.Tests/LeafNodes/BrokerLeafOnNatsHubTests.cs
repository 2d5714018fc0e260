using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using static Broker.Tests.LeafNodes.LeafTestSupport;

namespace Broker.Tests.LeafNodes;

/// <summary>An in-process Broker as the leaf of a real nats-server 2.9 hub.</summary>
public sealed class BrokerLeafOnNatsHubTests
{
    [NatsServerFact]
    public async Task Messages_requests_headers_and_queue_groups_cross_both_ways()
    {
        await using var hub = await StartNatsHubAsync(FreePort());
        await using var leaf = await StartLeafAsync($"nats://127.0.0.1:{HubLeafPort(hub)}");
        await WaitLinkAsync(leaf);
        await using var onHub = await NatsClients.ConnectAsync($"nats://127.0.0.1:{hub.Port}");
        await using var onLeaf = await NatsClients.ConnectAsync(leaf.Url);

        await using var atHub = await onHub.SubscribeCoreAsync<string>("up");
        await WaitInterestAsync(leaf, "up");
        for (var i = 0; i < 1000; i++) await onLeaf.PublishAsync("up", $"m{i}", headers: i == 0 ? new NatsHeaders { ["X-Leaf"] = "yes" } : null);
        var up = await NatsClients.ReadAsync(atHub, 1000);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"m{i}"), up.Select(m => m.Data));
        Assert.Equal("yes", up[0].Headers?["X-Leaf"].ToString());

        await using var atLeaf = await onLeaf.SubscribeCoreAsync<string>("down.*");
        await WaitNatsInterestAsync(hub, "down.*");
        for (var i = 0; i < 1000; i++) await onHub.PublishAsync("down.x", $"d{i}");
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"d{i}"), (await NatsClients.ReadAsync(atLeaf, 1000)).Select(m => m.Data));

        await using var leafService = await onLeaf.SubscribeCoreAsync<string>("svc");
        var serving = Task.Run(async () =>
        {
            await foreach (var msg in leafService.Msgs.ReadAllAsync()) await msg.ReplyAsync($"leaf:{msg.Data}");
        });
        await WaitNatsInterestAsync(hub, "svc");
        Assert.Equal("leaf:1", (await onHub.RequestAsync<string, string>("svc", "1")).Data);
        await leafService.UnsubscribeAsync();
        await serving;

        await using var hubMember = await onHub.SubscribeCoreAsync<int>("work", queueGroup: "workers");
        await using var leafMember = await onLeaf.SubscribeCoreAsync<int>("work", queueGroup: "workers");
        await WaitInterestAsync(leaf, "work workers");
        await WaitNatsInterestAsync(hub, "work");
        for (var i = 0; i < 200; i++) await onHub.PublishAsync("work", i);
        for (var i = 200; i < 400; i++) await onLeaf.PublishAsync("work", i);
        var got = await NatsLeafOnBrokerHubTests.DrainAsync([hubMember, leafMember], 400);
        Assert.Equal(Enumerable.Range(0, 400), got.Order());
    }

    [NatsServerFact]
    public async Task The_leaf_reconnects_after_the_hub_restarts_and_tells_its_interest_again()
    {
        var leafPort = FreePort();
        var hub = await StartNatsHubAsync(leafPort);
        await using var leaf = await StartLeafAsync($"nats://127.0.0.1:{leafPort}");
        await WaitLinkAsync(leaf);
        await using var onLeaf = await NatsClients.ConnectAsync(leaf.Url);
        await using var atLeaf = await onLeaf.SubscribeCoreAsync<string>("kept");
        await WaitNatsInterestAsync(hub, "kept");
        var first = LinksOf(leaf).Single();

        await hub.DisposeAsync();
        await first.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        await using var hub2 = await StartNatsHubAsync(leafPort);
        await WaitNatsInterestAsync(hub2, "kept");
        await using var onHub = await NatsClients.ConnectAsync($"nats://127.0.0.1:{hub2.Port}");
        await onHub.PublishAsync("kept", "after restart");
        Assert.Equal("after restart", (await NatsClients.ReadAsync(atLeaf, 1))[0].Data);
    }

    [NatsServerFact]
    public async Task Deny_lists_keep_subjects_from_crossing()
    {
        await using var hub = await StartNatsHubAsync(FreePort());
        await using var leaf = await StartLeafAsync($"nats://127.0.0.1:{HubLeafPort(hub)}",
            r => r with { DenyImports = ["secret.in"], DenyExports = ["secret.out"] });
        await WaitLinkAsync(leaf);
        await using var onHub = await NatsClients.ConnectAsync($"nats://127.0.0.1:{hub.Port}");
        await using var onLeaf = await NatsClients.ConnectAsync(leaf.Url);

        // deny_exports: the leaf sends nothing on secret.out, even though the hub wants it.
        await using var atHub = await onHub.SubscribeCoreAsync<string>("secret.>");
        await WaitInterestAsync(leaf, "secret.>");
        await onLeaf.PublishAsync("secret.out", "no");
        await onLeaf.PublishAsync("secret.ok", "yes");
        Assert.Equal("yes", (await NatsClients.ReadAsync(atHub, 1))[0].Data);

        // deny_imports: the leaf asks nothing for secret.in, so the hub sends it nothing.
        await using var denied = await onLeaf.SubscribeCoreAsync<string>("secret.in");
        await using var allowed = await onLeaf.SubscribeCoreAsync<string>("open.in");
        await WaitNatsInterestAsync(hub, "open.in");
        await onHub.PublishAsync("secret.in", "no");
        await onHub.PublishAsync("open.in", "yes");
        Assert.Equal("yes", (await NatsClients.ReadAsync(allowed, 1))[0].Data);
        await onLeaf.PingAsync();
        Assert.Equal(0, denied.Msgs.Count);
    }

    /// <summary>The hub's leafnode port from its log line.</summary>
    private static int HubLeafPort(NatsServerProcess hub)
    {
        var line = hub.Output.First(l => l.Contains("Listening for leafnode connections on", StringComparison.Ordinal));
        return int.Parse(line[(line.LastIndexOf(':') + 1)..]);
    }
}
