using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using Broker.InProcess;
using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.InProcess;

/// <summary>A stream subscription's buffer: its demand decides, with the caller's overflow strategy.</summary>
public class InProcessBackPressureTests
{
    [Fact]
    public async Task A_stalled_stream_slows_nothing_else_and_loses_nothing_it_asked_for()
    {
        const int count = 2000;
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The consumer holds its first element until the gate opens: its 16-message buffer fills.
        var (subscribed, slow) = app.Subscribe("slow", bufferSize: 16, overflow: OverflowStrategy.Backpressure)
            .Take(count)
            .SelectAsync(1, async m => { await gate.Task; return int.Parse(m.PayloadText); })
            .ToMaterialized(Sink.Seq<int>(), Keep.Both)
            .Run(broker.System.Materializer());
        await subscribed;
        await using var fastSubscriber = await NatsClients.ConnectAsync(broker.Url);
        await using var fast = await fastSubscriber.SubscribeCoreAsync<string>("fast");
        await fastSubscriber.PingAsync();

        // One network client publishes to the stalled stream; another publisher and subscriber pair carries on meanwhile.
        await using var slowPublisher = await NatsClients.ConnectAsync(broker.Url);
        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++) await slowPublisher.PublishAsync("slow", i.ToString());
            await slowPublisher.PingAsync();
        });
        await using var fastPublisher = await NatsClients.ConnectAsync(broker.Url);
        for (var i = 0; i < count; i++) await fastPublisher.PublishAsync("fast", $"f{i}");
        Assert.Equal(count, (await NatsClients.ReadAsync(fast, count, timeoutSeconds: 20)).Count);
        Assert.False(slow.IsCompleted);

        gate.SetResult();
        await publishing.WaitAsync(TimeSpan.FromSeconds(30));
        // All of them, in order: the stalled stream's publisher was paused, not its messages dropped.
        Assert.Equal(Enumerable.Range(0, count), await slow.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Under_drop_new_a_full_buffer_keeps_the_oldest_and_drops_the_rest()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (subscribed, received) = app.Subscribe("burst", bufferSize: 10, overflow: OverflowStrategy.DropNew)
            .SelectAsync(1, async m => { await gate.Task; return int.Parse(m.PayloadText); })
            .TakeWithin(TimeSpan.FromSeconds(3))
            .ToMaterialized(Sink.Seq<int>(), Keep.Both)
            .Run(broker.System.Materializer());
        await subscribed;

        for (var i = 0; i < 1000; i++) app.Publish("burst", Encoding.ASCII.GetBytes(i.ToString()));
        gate.SetResult();

        // The stream pulls on its own thread while the burst goes on, so a few later ones may squeeze in;
        // the first ten are kept whole, order holds, and most of the burst was dropped.
        var got = await received.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(Enumerable.Range(0, 10), got.Take(10));
        Assert.Equal(got.Order(), got);
        Assert.Equal(got.Count, got.Distinct().Count());
        Assert.InRange(got.Count, 10, 500);
    }

    [Fact]
    public async Task Under_fail_a_full_buffer_fails_the_stream()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (subscribed, done) = app.Subscribe("burst", bufferSize: 4, overflow: OverflowStrategy.Fail)
            .SelectAsync(1, async m => { await gate.Task; return m; })
            .ToMaterialized(Sink.Ignore<BrokerMessage>(), Keep.Both)
            .Run(broker.System.Materializer());
        await subscribed;

        for (var i = 0; i < 100; i++) app.Publish("burst", "x"u8);

        await Assert.ThrowsAsync<BufferOverflowException>(() => done.WaitAsync(TimeSpan.FromSeconds(20)));
        await Eventually.Async(() => app.SubscriptionCount == 0, "a failed stream unsubscribes");
    }
}
