using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using static Broker.Tests.Gateways.TestSupercluster;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Gateways;

/// <summary>Regions that go down and come back, and links cut while messages flow.</summary>
public class GatewayFailureTests
{
    [Fact]
    public async Task A_region_killed_is_dropped_the_others_keep_serving_and_it_is_linked_again_when_it_returns()
    {
        await using var super = await TestSupercluster.StartAsync(2, "east", "west");
        var east = super["east"];
        var west = super["west"];
        await using var publisher = await NatsClients.ConnectAsync(east[0].Url);
        await using (var onWest = await NatsClients.ConnectAsync(west[1].Url))
        {
            await using var farSub = await onWest.SubscribeCoreAsync<int>("news");
            await WaitRegionInterestAsync(east[0], "news");
        }

        await Task.WhenAll(west[0].StopAsync(), west[1].StopAsync());
        await Eventually.Async(() => !HasRegionInterest(east[0], "news") && !Gateway(east[0]).Regions[0].Established, "west's interest and link to go");

        // East on its own still delivers.
        await using var onEast1 = await NatsClients.ConnectAsync(east[1].Url);
        await using var nearSub = await onEast1.SubscribeCoreAsync<int>("news");
        await east[0].WaitRemoteInterestAsync("news");
        await publisher.PublishAsync("news", 1);
        Assert.Equal(1, (await NatsClients.ReadAsync(nearSub, 1)).Single().Data);

        // West comes back on the same endpoints: links and interest are rebuilt without touching east.
        await west.RestartAsync(0);
        await west.RestartAsync(1);
        await west.WaitFormedAsync();
        await super.WaitLinkedAsync();
        await using var onWestAgain = await NatsClients.ConnectAsync(west[1].Url);
        await using var westSub = await onWestAgain.SubscribeCoreAsync<int>("news");
        await WaitRegionInterestAsync(east[0], "news");
        await publisher.PublishAsync("news", 2);
        Assert.Equal(2, (await NatsClients.ReadAsync(westSub, 1)).Single().Data);
        Assert.Equal(2, (await NatsClients.ReadAsync(nearSub, 1)).Single().Data);
    }

    [Fact]
    public async Task Queue_traffic_fails_over_to_a_surviving_region_exactly_once_and_the_lost_region_serves_again_when_back()
    {
        await using var super = await TestSupercluster.StartAsync(1, "east", "west", "north");
        var (east, west, north) = (super["east"][0], super["west"][0], super["north"][0]);
        await using var publisher = await NatsClients.ConnectAsync(east.Url);
        var onWest = await NatsClients.ConnectAsync(west.Url, o => o with { MaxReconnectRetry = 0 });
        await using var onNorth = await NatsClients.ConnectAsync(north.Url);
        var westMember = await onWest.SubscribeCoreAsync<int>("jobs", queueGroup: "workers");
        await using var northMember = await onNorth.SubscribeCoreAsync<int>("jobs", queueGroup: "workers");
        await Eventually.Async(() => Gateway(east).Regions.All(r => r.InterestCount > 0), "both regions' members known in east");

        await westMember.DisposeAsync();
        await onWest.DisposeAsync();
        await super["west"][0].StopAsync();
        await Eventually.Async(() => !Gateway(east).Regions.Single(r => r.Name == "west").Established, "the link to west to go");

        for (var i = 0; i < 100; i++) await publisher.PublishAsync("jobs", i);
        await publisher.PingAsync();
        Assert.Equal(Enumerable.Range(0, 100), (await NatsClients.ReadAsync(northMember, 100)).Select(m => m.Data));

        var westAgain = await super["west"].RestartAsync(0);
        await super.WaitLinkedAsync();
        await using var onWestAgain = await NatsClients.ConnectAsync(westAgain.Url);
        await using var westMemberAgain = await onWestAgain.SubscribeCoreAsync<int>("jobs", queueGroup: "workers");
        await Eventually.Async(() => Gateway(east).Regions.All(r => r.Established && r.InterestCount > 0), "west's member known in east again");
        for (var i = 100; i < 300; i++) await publisher.PublishAsync("jobs", i);
        await publisher.PingAsync();
        var received = new List<int>();
        await Eventually.Async(() =>
        {
            while (northMember.Msgs.TryRead(out var m)) received.Add(m.Data);
            while (westMemberAgain.Msgs.TryRead(out var m)) received.Add(m.Data);
            return received.Count >= 200;
        }, "every message at one member");
        Assert.Equal(Enumerable.Range(100, 200), received.Order());
    }

    [Fact]
    public async Task A_link_cut_while_messages_flow_is_rebuilt_and_delivery_resumes_in_order()
    {
        await using var super = await TestSupercluster.StartAsync(2, "east", "west");
        var (a0, b0) = (super["east"][0], super["west"][0]);
        await using var publisher = await NatsClients.ConnectAsync(a0.Url);
        await using var onB0 = await NatsClients.ConnectAsync(b0.Url);
        await using var sub = await onB0.SubscribeCoreAsync<int>("flow");
        await WaitRegionInterestAsync(a0, "flow");
        var region = Gateway(a0).Regions.Single();

        var received = new List<int>();
        var reading = Task.Run(async () =>
        {
            await foreach (var msg in sub.Msgs.ReadAllAsync())
            {
                lock (received) received.Add(msg.Data);
            }
        });
        int Count()
        {
            lock (received) return received.Count;
        }

        var next = 0;
        async Task PublishUntilAsync(Func<bool> done, string what)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!done())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
                for (var i = 0; i < 20; i++) await publisher.PublishAsync("flow", next++);
                await publisher.PingAsync();
            }
        }

        await PublishUntilAsync(() => Count() >= 200, "the first messages to cross");
        var cutAt = next;
        var cut = region.Connection!;
        cut.Close("cut by the test");
        await PublishUntilAsync(() => region.Connection is { } c && c != cut && region.Established && HasRegionInterest(a0, "flow"), "the link to come back");
        var resumedFrom = next;
        await PublishUntilAsync(() => { lock (received) return received.Count > 0 && received[^1] >= resumedFrom + 100; }, "delivery to resume");

        List<int> snapshot;
        lock (received) snapshot = received.ToList();
        // What was in flight when the link broke may be lost (at-most-once, as with nats); nothing comes twice or out of order.
        Assert.Equal(snapshot.Order(), snapshot);
        Assert.Equal(snapshot.Count, snapshot.Distinct().Count());
        Assert.Contains(snapshot, n => n >= resumedFrom);
        Assert.True(cutAt > 0);
        await sub.UnsubscribeAsync();
        await reading;
    }
}
