using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.EndToEnd;

public class QueueGroupTests
{
    [Fact]
    public async Task Each_message_goes_to_exactly_one_member_and_all_members_share_the_load()
    {
        const int count = 1000;
        await using var broker = await TestBroker.StartAsync();
        var members = new List<NatsConnection>();
        var subs = new List<INatsSub<int>>();
        for (var i = 0; i < 3; i++)
        {
            var nc = await NatsClients.ConnectAsync(broker.Url);
            members.Add(nc);
            subs.Add(await nc.SubscribeCoreAsync<int>("work", queueGroup: "workers"));
            await nc.PingAsync();
        }
        await using var watcher = await NatsClients.ConnectAsync(broker.Url);
        await using var all = await watcher.SubscribeCoreAsync<int>("work");
        await watcher.PingAsync();
        await using var publisher = await NatsClients.ConnectAsync(broker.Url);

        for (var i = 0; i < count; i++) await publisher.PublishAsync("work", i);
        await publisher.PingAsync();

        // The plain subscriber beside the group gets everything, so once it has all, the members have theirs.
        Assert.Equal(count, (await NatsClients.ReadAsync(all, count)).Count);
        foreach (var nc in members) await nc.PingAsync();
        var received = new List<int>[3];
        for (var i = 0; i < 3; i++)
        {
            received[i] = new List<int>();
            while (subs[i].Msgs.TryRead(out var msg)) received[i].Add(msg.Data);
        }

        var union = received.SelectMany(r => r).ToList();
        Assert.Equal(count, union.Count);
        Assert.Equal(Enumerable.Range(0, count), union.Order());
        Assert.All(received, r => Assert.NotEmpty(r));

        foreach (var sub in subs) await sub.DisposeAsync();
        foreach (var nc in members) await nc.DisposeAsync();
    }

    [Fact]
    public async Task Two_groups_on_one_subject_each_get_every_message_once()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var nc = await NatsClients.ConnectAsync(broker.Url);
        await using var a1 = await nc.SubscribeCoreAsync<int>("jobs", queueGroup: "a");
        await using var a2 = await nc.SubscribeCoreAsync<int>("jobs", queueGroup: "a");
        await using var b1 = await nc.SubscribeCoreAsync<int>("jobs.*", queueGroup: "b");
        await nc.PingAsync();

        for (var i = 0; i < 100; i++) await nc.PublishAsync(i % 2 == 0 ? "jobs" : "jobs.x", i);
        await nc.PingAsync();

        var groupA = Drain(a1).Concat(Drain(a2)).Order().ToList();
        var groupB = Drain(b1);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 2), groupA);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 2 + 1), groupB);
    }

    private static List<int> Drain(INatsSub<int> sub)
    {
        var list = new List<int>();
        while (sub.Msgs.TryRead(out var msg)) list.Add(msg.Data);
        return list;
    }
}
