using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using static Broker.Tests.Gateways.TestSupercluster;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Gateways;

public class GatewayQueueTests
{
    [Fact]
    public async Task Queue_members_in_the_publishers_region_come_first_others_take_over_when_none_is_left_and_it_comes_back()
    {
        const int count = 100;
        await using var super = await TestSupercluster.StartAsync(2, "east", "west");
        var (a0, a1, b0, b1) = (super["east"][0], super["east"][1], super["west"][0], super["west"][1]);
        await using var publisher = await NatsClients.ConnectAsync(a0.Url);
        await using var onA1 = await NatsClients.ConnectAsync(a1.Url);
        await using var onB0 = await NatsClients.ConnectAsync(b0.Url);
        await using var onB1 = await NatsClients.ConnectAsync(b1.Url);
        await using var westMember0 = await onB0.SubscribeCoreAsync<int>("work", queueGroup: "workers");
        await using var westMember1 = await onB1.SubscribeCoreAsync<int>("work", queueGroup: "workers");
        await WaitRegionInterestAsync(a0, "work", "workers");

        // Only west has members: every message once, in west.
        await PublishAsync(publisher, 0, count);
        var west = await GatherAsync(count, westMember0, westMember1);
        Assert.Equal(Enumerable.Range(0, count), west.Order());

        // An east member (on the other east node) appears: east keeps the messages.
        var eastMember = await onA1.SubscribeCoreAsync<int>("work", queueGroup: "workers");
        await a0.WaitRemoteInterestAsync("work", "workers");
        await PublishAsync(publisher, count, count);
        Assert.Equal(Enumerable.Range(count, count), (await NatsClients.ReadAsync(eastMember, count)).Select(m => m.Data));
        await onB0.PingAsync();
        await onB1.PingAsync();
        Assert.Empty(Drain(westMember0).Concat(Drain(westMember1)));

        // It leaves: west takes over again, exactly once.
        await eastMember.UnsubscribeAsync();
        await Eventually.Async(() => !a0.HasRemoteInterest("work", "workers"), "the east member's interest to go");
        await PublishAsync(publisher, 2 * count, count);
        west = await GatherAsync(count, westMember0, westMember1);
        Assert.Equal(Enumerable.Range(2 * count, count), west.Order());
    }

    private static async Task PublishAsync(NatsConnection publisher, int from, int count)
    {
        for (var i = from; i < from + count; i++) await publisher.PublishAsync("work", i);
        await publisher.PingAsync();
    }

    /// <summary>Reads from all members until <paramref name="count"/> messages have arrived, then checks none more comes.</summary>
    private static async Task<List<int>> GatherAsync(int count, params INatsSub<int>[] members)
    {
        var received = new List<int>();
        await Eventually.Async(() =>
        {
            foreach (var member in members) received.AddRange(Drain(member));
            return received.Count >= count;
        }, $"{count} messages at the members");
        Assert.Equal(count, received.Count);
        return received;
    }

    private static List<int> Drain(INatsSub<int> sub)
    {
        var list = new List<int>();
        while (sub.Msgs.TryRead(out var msg)) list.Add(msg.Data);
        return list;
    }
}
