using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using Broker.InProcess;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.InProcess;

/// <summary><see cref="InProcessConnection.SubscribeBatches"/>: the messages of a subscription, in order, a batch per stream element, back-pressured.</summary>
public class InProcessBatchSourceTests
{
    [Fact]
    public async Task Batches_carry_every_message_of_network_and_in_process_publishers_in_each_publishers_order()
    {
        const int perPublisher = 2000;
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount, "reader");
        var (subscribed, received) = app.SubscribeBatches("batched.*", bufferSize: 128, maxBatch: 50)
            .Scan(new List<IReadOnlyList<BrokerMessage>>(), (all, batch) => { all.Add(batch); return all; })
            .TakeWhile(all => all.Sum(b => b.Count) < 2 * perPublisher, inclusive: true)
            .ToMaterialized(Sink.Last<List<IReadOnlyList<BrokerMessage>>>(), Keep.Both)
            .Run(broker.System.Materializer());
        await subscribed;

        await using var client = await NatsClients.ConnectAsync(broker.Url);
        await using var publisher = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount, "writer");
        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < perPublisher; i++) await client.PublishAsync("batched.net", $"n{i}"); }),
            Task.Run(async () => { for (var i = 0; i < perPublisher; i++) await publisher.PublishAsync("batched.app", Encoding.ASCII.GetBytes($"a{i}")); }))
            .WaitAsync(TimeSpan.FromSeconds(60));

        var batches = await received.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(batches, batch => Assert.InRange(batch.Count, 1, 50));
        var messages = batches.SelectMany(b => b).ToList();
        Assert.Equal(Enumerable.Range(0, perPublisher).Select(i => $"n{i}"), messages.Where(m => m.Subject == "batched.net").Select(m => m.PayloadText));
        Assert.Equal(Enumerable.Range(0, perPublisher).Select(i => $"a{i}"), messages.Where(m => m.Subject == "batched.app").Select(m => m.PayloadText));
    }

    [Fact]
    public async Task A_stalled_batch_stream_pauses_its_in_process_publisher_and_loses_nothing()
    {
        const int count = 1000;
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The consumer holds its first batch until the gate opens: the 16-message buffer fills behind it.
        var (subscribed, slow) = app.SubscribeBatches("stalled", bufferSize: 16, maxBatch: 8)
            .SelectAsync(1, async batch => { await gate.Task; return batch; })
            .SelectMany(batch => batch.Select(m => int.Parse(m.PayloadText)))
            .Take(count)
            .ToMaterialized(Sink.Seq<int>(), Keep.Both)
            .Run(broker.System.Materializer());
        await subscribed;

        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++) await app.PublishAsync("stalled", Encoding.ASCII.GetBytes(i.ToString()));
        });
        // Paused, not cut off: the publisher cannot get far past the buffer while the stream takes nothing.
        await Assert.ThrowsAsync<TimeoutException>(() => publishing.WaitAsync(TimeSpan.FromMilliseconds(500)));
        Assert.True(app.InMessages < count, $"{app.InMessages} of {count} published while the stream stalled");

        gate.SetResult();
        await publishing.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, count), await slow.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_batch_source_with_max_messages_completes_after_that_many()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var (subscribed, received) = app.SubscribeBatches("limited", maxMessages: 5)
            .ToMaterialized(Sink.Seq<IReadOnlyList<BrokerMessage>>(), Keep.Both)
            .Run(broker.System.Materializer());
        await subscribed;

        for (var i = 0; i < 8; i++) await app.PublishAsync("limited", Encoding.ASCII.GetBytes($"m{i}"));

        var batches = await received.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], batches.SelectMany(b => b).Select(m => m.PayloadText));
    }

    [Fact]
    public async Task A_batch_of_no_messages_or_a_buffer_of_none_is_refused()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        Assert.Equal("maxBatch", Assert.Throws<ArgumentOutOfRangeException>(() => app.SubscribeBatches("x", maxBatch: 0)).ParamName);
        Assert.Equal("bufferSize", Assert.Throws<ArgumentOutOfRangeException>(() => app.SubscribeBatches("x", bufferSize: 0)).ParamName);
    }
}
