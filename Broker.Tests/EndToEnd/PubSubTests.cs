using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.EndToEnd;

public class PubSubTests
{
    [Fact]
    public async Task A_published_message_reaches_a_subscriber_on_another_connection()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var subscriber = await NatsClients.ConnectAsync(broker.Url);
        await using var publisher = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await subscriber.SubscribeCoreAsync<string>("greet");
        await subscriber.PingAsync();

        await publisher.PublishAsync("greet", "hello");

        var msg = Assert.Single(await NatsClients.ReadAsync(sub, 1));
        Assert.Equal("greet", msg.Subject);
        Assert.Equal("hello", msg.Data);
    }

    [Fact]
    public async Task Wildcards_match_one_token_or_the_rest()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var nc = await NatsClients.ConnectAsync(broker.Url);
        await using var star = await nc.SubscribeCoreAsync<string>("a.*.c");
        await using var rest = await nc.SubscribeCoreAsync<string>("a.>");
        await nc.PingAsync();

        foreach (var subject in new[] { "a", "a.b.c", "a.b", "a.x.c.d", "b.b.c", "a.y.c" })
        {
            await nc.PublishAsync(subject, subject);
        }
        await nc.PingAsync();

        Assert.Equal(["a.b.c", "a.y.c"], (await NatsClients.ReadAsync(star, 2)).Select(m => m.Data));
        // "a" alone does not match "a.>": '>' needs at least one more token.
        Assert.Equal(["a.b.c", "a.b", "a.x.c.d", "a.y.c"], (await NatsClients.ReadAsync(rest, 4)).Select(m => m.Data));
        Assert.False(star.Msgs.TryRead(out _));
        Assert.False(rest.Msgs.TryRead(out _));
    }

    [Fact]
    public async Task Ten_thousand_messages_arrive_in_publish_order()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var subscriber = await NatsClients.ConnectAsync(broker.Url);
        await using var publisher = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await subscriber.SubscribeCoreAsync<int>("seq");
        await subscriber.PingAsync();

        for (var i = 0; i < 10_000; i++) await publisher.PublishAsync("seq", i);

        var got = await NatsClients.ReadAsync(sub, 10_000, timeoutSeconds: 30);
        Assert.Equal(Enumerable.Range(0, 10_000), got.Select(m => m.Data));
    }

    [Fact]
    public async Task No_echo_keeps_a_connections_own_messages_from_itself()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var quiet = await NatsClients.ConnectAsync(broker.Url, o => o with { Echo = false });
        await using var other = await NatsClients.ConnectAsync(broker.Url);
        await using var own = await quiet.SubscribeCoreAsync<string>("echo");
        await using var theirs = await other.SubscribeCoreAsync<string>("echo");
        await quiet.PingAsync();
        await other.PingAsync();

        await quiet.PublishAsync("echo", "from-quiet");
        await other.PublishAsync("echo", "from-other");

        // The quiet connection sees only the other's message; the other sees both.
        Assert.Equal("from-other", Assert.Single(await NatsClients.ReadAsync(own, 1)).Data);
        Assert.Equal(["from-other", "from-quiet"], (await NatsClients.ReadAsync(theirs, 2)).Select(m => m.Data).Order());
        await quiet.PingAsync();
        Assert.False(own.Msgs.TryRead(out _));
    }

    [Fact]
    public async Task Headers_arrive_intact_with_the_payload()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var nc = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await nc.SubscribeCoreAsync<byte[]>("h");
        await nc.PingAsync();

        var headers = new NatsHeaders { ["Trace-Id"] = "abc-123", ["Multi"] = new Microsoft.Extensions.Primitives.StringValues(["one", "two"]) };
        await nc.PublishAsync("h", new byte[] { 1, 2, 3 }, headers: headers);

        var msg = Assert.Single(await NatsClients.ReadAsync(sub, 1));
        Assert.Equal(new byte[] { 1, 2, 3 }, msg.Data);
        Assert.NotNull(msg.Headers);
        Assert.Equal("abc-123", msg.Headers!["Trace-Id"].ToString());
        Assert.Equal(new[] { "one", "two" }, msg.Headers["Multi"].ToArray()!);
    }

    [Fact]
    public async Task Max_msgs_delivers_exactly_that_many_and_ends_the_subscription()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var nc = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await nc.SubscribeCoreAsync<int>("max", opts: new NatsSubOpts { MaxMsgs = 5 });
        await nc.PingAsync();

        for (var i = 0; i < 20; i++) await nc.PublishAsync("max", i);

        var got = new List<int>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var msg in sub.Msgs.ReadAllAsync(cts.Token)) got.Add(msg.Data);
        Assert.Equal([0, 1, 2, 3, 4], got);
    }
}
