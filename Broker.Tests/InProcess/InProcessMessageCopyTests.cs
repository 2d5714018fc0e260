using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using Broker.InProcess;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.InProcess;

/// <summary>
/// In-process subscribers copy small messages into shared blocks and the publisher reuses its last
/// subject's bytes: neither may mix up one message's bytes with another's, whichever thread published.
/// </summary>
public class InProcessMessageCopyTests
{
    /// <summary>A payload that says who sent it and which one it is, in a size of 1..400 bytes (across the shared-block limit).</summary>
    private static byte[] PayloadOf(int publisher, int sequence)
    {
        var payload = new byte[1 + (sequence * 7 + publisher) % 400];
        for (var i = 0; i < payload.Length; i++) payload[i] = (byte)(publisher * 31 + sequence + i);
        return payload;
    }

    [Fact]
    public async Task Messages_sharing_blocks_keep_their_own_bytes_from_concurrent_publishers_in_each_publishers_order()
    {
        const int perPublisher = 3000;
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount, "reader");
        var (subscribed, received) = app.Subscribe("copies.*", bufferSize: 64)
            .Take(3 * perPublisher)
            .ToMaterialized(Sink.Seq<BrokerMessage>(), Keep.Both)
            .Run(broker.System.Materializer());
        await subscribed;

        await using var first = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount, "first");
        await using var second = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount, "second");
        await using var client = await NatsClients.ConnectAsync(broker.Url);
        var publishing = new[]
        {
            Task.Run(async () => { for (var i = 0; i < perPublisher; i++) await first.PublishAsync("copies.0", PayloadOf(0, i)); }),
            Task.Run(async () => { for (var i = 0; i < perPublisher; i++) await second.PublishAsync("copies.1", PayloadOf(1, i)); }),
            Task.Run(async () => { for (var i = 0; i < perPublisher; i++) await client.PublishAsync("copies.2", PayloadOf(2, i)); }),
        };
        await Task.WhenAll(publishing).WaitAsync(TimeSpan.FromSeconds(60));

        var messages = await received.WaitAsync(TimeSpan.FromSeconds(60));
        for (var publisher = 0; publisher < 3; publisher++)
        {
            var own = messages.Where(m => m.Subject == $"copies.{publisher}").ToList();
            Assert.Equal(perPublisher, own.Count);
            for (var i = 0; i < perPublisher; i++)
                Assert.True(own[i].Payload.Span.SequenceEqual(PayloadOf(publisher, i)), $"publisher {publisher}, message {i}: wrong bytes or order");
        }
    }

    [Fact]
    public async Task A_kept_message_is_unchanged_by_the_messages_after_it()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var (subscribed, received) = app.Subscribe("kept").Take(2000).ToMaterialized(Sink.Seq<BrokerMessage>(), Keep.Both).Run(broker.System.Materializer());
        await subscribed;

        var headers = MessageHeaders.Of(("K", "v"));
        for (var i = 0; i < 2000; i++) await app.PublishAsync("kept", Encoding.ASCII.GetBytes($"message {i}"), headers: i % 10 == 0 ? headers : null);

        var messages = await received.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => $"message {i}"), messages.Select(m => m.PayloadText));
        Assert.All(messages.Where((_, i) => i % 10 == 0), m => Assert.Equal("v", m.Headers.First("K")));
        Assert.All(messages.Where((_, i) => i % 10 != 0), m => Assert.False(m.HasHeaders));
    }

    [Fact]
    public async Task Alternating_subjects_and_a_refused_subject_between_them_reach_the_right_subscribers()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        await using var client = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await client.SubscribeCoreAsync<string>("alt.*");
        await client.PingAsync();
        string[] subjects = ["alt.a", "alt.b"];

        for (var i = 0; i < 20; i++)
        {
            await app.PublishAsync(subjects[i % 2], Encoding.ASCII.GetBytes($"m{i}"));
            var bad = i % 2 == 0 ? "alt..bad" : "alt.*";
            await Assert.ThrowsAsync<InvalidOperationForBrokerException>(async () => await app.PublishAsync(bad, Encoding.ASCII.GetBytes("no")));
        }

        var got = await NatsClients.ReadAsync(sub, 20);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"m{i}"), got.Select(m => m.Data));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => subjects[i % 2]), got.Select(m => m.Subject));
    }
}
