using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Cluster;

public class ClusterPubSubTests
{
    [Fact]
    public async Task Messages_cross_nodes_plain_wildcard_headers_and_request_reply()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await using var onA = await NatsClients.ConnectAsync(cluster[0].Url);
        await using var onB = await NatsClients.ConnectAsync(cluster[1].Url);
        await using var onC = await NatsClients.ConnectAsync(cluster[2].Url);

        await using var plain = await onB.SubscribeCoreAsync<string>("orders.new");
        await using var wildcard = await onC.SubscribeCoreAsync<string>("orders.>");
        await using var responder = await onC.SubscribeCoreAsync<string>("lookup");
        await cluster[0].WaitRemoteInterestAsync("orders.new");
        await cluster[0].WaitRemoteInterestAsync("lookup");

        var headers = new NatsHeaders { ["X-Order"] = "42" };
        for (var i = 0; i < 100; i++) await onA.PublishAsync("orders.new", $"m{i}", headers: i == 0 ? headers : null);
        await onA.PingAsync();

        // Every message, in publish order, on both nodes; headers kept.
        var got = await NatsClients.ReadAsync(plain, 100);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"m{i}"), got.Select(m => m.Data));
        Assert.Equal("42", got[0].Headers?["X-Order"].ToString());
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"m{i}"), (await NatsClients.ReadAsync(wildcard, 100)).Select(m => m.Data));

        // Request on A, responder on C, reply back to A.
        var serve = Task.Run(async () =>
        {
            await foreach (var msg in responder.Msgs.ReadAllAsync())
            {
                await msg.ReplyAsync($"found {msg.Data}");
                return;
            }
        });
        var reply = await onA.RequestAsync<string, string>("lookup", "7");
        Assert.Equal("found 7", reply.Data);
        await serve;
    }

    [Fact]
    public async Task Queue_group_gets_each_message_once_cluster_wide_and_prefers_local_members()
    {
        const int count = 300;
        await using var cluster = await TestCluster.StartAsync(3);
        await using var onA = await NatsClients.ConnectAsync(cluster[0].Url);
        await using var onB = await NatsClients.ConnectAsync(cluster[1].Url);
        await using var onC = await NatsClients.ConnectAsync(cluster[2].Url);
        await using var b1 = await onB.SubscribeCoreAsync<int>("work", queueGroup: "workers");
        await using var b2 = await onB.SubscribeCoreAsync<int>("work", queueGroup: "workers");
        await using var c1 = await onC.SubscribeCoreAsync<int>("work", queueGroup: "workers");
        await using var watcher = await onC.SubscribeCoreAsync<int>("work");
        await cluster[0].WaitRemoteInterestAsync("work", "workers");
        await cluster[0].WaitRemoteInterestAsync("work");
        await Eventually.Async(() => cluster[0].QueueMembers("work") == 2, "both nodes' members");

        // From A (no local member): each message once, somewhere in the cluster.
        for (var i = 0; i < count; i++) await onA.PublishAsync("work", i);
        await onA.PingAsync();
        await NatsClients.ReadAsync(watcher, count);
        // B's deliveries travel on A's link to B, not ordered with the watcher's on C: gather until all are in.
        var received = new List<int>();
        await Eventually.Async(() =>
        {
            received.AddRange(Drain(b1).Concat(Drain(b2)).Concat(Drain(c1)));
            return received.Count >= count;
        }, "every message at one member");
        Assert.Equal(Enumerable.Range(0, count), received.Order());

        // From C (one local member): all to the local member.
        for (var i = 0; i < count; i++) await onC.PublishAsync("work", i);
        await onC.PingAsync();
        Assert.Equal(count, (await NatsClients.ReadAsync(c1, count)).Count);
        await NatsClients.ReadAsync(watcher, count);
        await onB.PingAsync();
        Assert.Empty(Drain(b1).Concat(Drain(b2)));
    }

    [Fact]
    public async Task Accounts_stay_isolated_across_nodes()
    {
        await using var cluster = await TestCluster.StartAsync(2, configure: o => Broker.Configuration.BrokerConfigLoader.Parse("""
            accounts {
              A { users: [ { user: a, password: a } ] }
              B { users: [ { user: b, password: b } ] }
            }
            """));
        await using var aOn0 = await NatsClients.ConnectAsync(cluster[0].Url, o => o with { AuthOpts = new NatsAuthOpts { Username = "a", Password = "a" } });
        await using var aOn1 = await NatsClients.ConnectAsync(cluster[1].Url, o => o with { AuthOpts = new NatsAuthOpts { Username = "a", Password = "a" } });
        await using var bOn1 = await NatsClients.ConnectAsync(cluster[1].Url, o => o with { AuthOpts = new NatsAuthOpts { Username = "b", Password = "b" } });
        await using var inA = await aOn1.SubscribeCoreAsync<string>("shared");
        await using var inB = await bOn1.SubscribeCoreAsync<string>("shared");
        await cluster[0].WaitRemoteInterestAsync("shared", account: "A");
        await cluster[0].WaitRemoteInterestAsync("shared", account: "B");

        await aOn0.PublishAsync("shared", "for A only");
        await aOn0.PingAsync();

        Assert.Equal("for A only", (await NatsClients.ReadAsync(inA, 1)).Single().Data);
        await bOn1.PingAsync();
        Assert.False(inB.Msgs.TryRead(out _));
    }

    private static List<int> Drain(INatsSub<int> sub)
    {
        var list = new List<int>();
        while (sub.Msgs.TryRead(out var msg)) list.Add(msg.Data);
        return list;
    }
}
