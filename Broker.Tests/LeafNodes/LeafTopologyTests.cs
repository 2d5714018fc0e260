using Broker.Tests.Infrastructure;
using Broker.Configuration;
using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using static Broker.Tests.LeafNodes.LeafTestSupport;

namespace Broker.Tests.LeafNodes;

/// <summary>Broker-only topologies: a daisy chain of leaves, leaves on two nodes of a cluster.</summary>
public sealed class LeafTopologyTests
{
    [Fact]
    public async Task A_daisy_chain_carries_messages_both_ways_and_a_restarted_end_gets_its_interest_back()
    {
        await using var hub = await StartHubAsync();
        await using var middle = await StartMiddleAsync(LeafUrl(hub));
        var bottom = await StartLeafAsync(LeafUrl(middle));
        await WaitLinkAsync(hub);
        await WaitLinkAsync(middle, 2);
        await using var onHub = await NatsClients.ConnectAsync(hub.Url);

        await using (var onBottom = await NatsClients.ConnectAsync(bottom.Url))
        {
            await using var down = await onBottom.SubscribeCoreAsync<string>("chain.down");
            await WaitInterestAsync(hub, "chain.down");
            await onHub.PublishAsync("chain.down", "to the bottom");
            Assert.Equal("to the bottom", (await NatsClients.ReadAsync(down, 1))[0].Data);

            await using var up = await onHub.SubscribeCoreAsync<string>("chain.up");
            await WaitInterestAsync(bottom, "chain.up");
            await onBottom.PublishAsync("chain.up", "to the top");
            Assert.Equal("to the top", (await NatsClients.ReadAsync(up, 1))[0].Data);
        }

        // The bottom leaf restarts (nats-server#2448 lost interest here): its new interest reaches the hub.
        await bottom.DisposeAsync();
        await Eventually.Async(() => !HasInterest(hub.Server, "chain.down"), "the old bottom's interest to leave the hub");
        await using var bottom2 = await StartLeafAsync(LeafUrl(middle));
        await using var onBottom2 = await NatsClients.ConnectAsync(bottom2.Url);
        await using var again = await onBottom2.SubscribeCoreAsync<string>("chain.again");
        await WaitInterestAsync(hub, "chain.again");
        await onHub.PublishAsync("chain.again", "back");
        Assert.Equal("back", (await NatsClients.ReadAsync(again, 1))[0].Data);
    }

    [Fact]
    public async Task Leaves_on_two_nodes_of_a_cluster_reach_each_other_and_a_queue_group_loses_a_dropped_leaf_everywhere()
    {
        await using var cluster = await TestCluster.StartAsync(2, configure: o => o with { LeafNodes = new LeafNodeOptions { Host = "127.0.0.1", Port = 0 } });
        await using var leaf0 = await StartLeafAsync(LeafUrl(cluster[0].Server));
        var leaf1 = await StartLeafAsync(LeafUrl(cluster[1].Server));
        await WaitLinkAsync(leaf0);
        await WaitLinkAsync(leaf1);
        await using var on0 = await NatsClients.ConnectAsync(leaf0.Url);

        var on1 = await NatsClients.ConnectAsync(leaf1.Url);
        {
            await using var far = await on1.SubscribeCoreAsync<string>("across");
            await cluster[0].WaitRemoteInterestAsync("across");
            await WaitInterestAsync(leaf0, "across");
            await on0.PublishAsync("across", "leaf to leaf through the cluster");
            Assert.Equal("leaf to leaf through the cluster", (await NatsClients.ReadAsync(far, 1))[0].Data);

            // Queue members behind both leaves: each message once.
            await using var m0 = await on0.SubscribeCoreAsync<int>("jobs", queueGroup: "g");
            var m1 = await on1.SubscribeCoreAsync<int>("jobs", queueGroup: "g");
            await cluster[0].WaitRemoteInterestAsync("jobs", "g");
            await cluster[1].WaitRemoteInterestAsync("jobs", "g");
            await using var onNode0 = await NatsClients.ConnectAsync(cluster[0].Url);
            for (var i = 0; i < 100; i++) await onNode0.PublishAsync("jobs", i);
            var got = await NatsLeafOnBrokerHubTests.DrainAsync([m0, m1], 100);
            Assert.Equal(Enumerable.Range(0, 100), got.Order());
        }

        // Leaf 1 drops: its queue interest leaves node 0 at once; node 0's leaf member takes everything.
        Assert.True(cluster[0].HasRemoteInterest("jobs", "g"));
        await leaf1.DisposeAsync();
        await Eventually.Async(() => !cluster[0].HasRemoteInterest("jobs", "g"), "the dropped leaf's queue interest to leave the cluster");
        await on1.DisposeAsync();
    }
}
