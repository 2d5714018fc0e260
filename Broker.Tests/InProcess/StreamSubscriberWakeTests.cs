using Broker.InProcess;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.InProcess;

/// <summary>
/// A stream subscription's stage that waits for messages is woken at the end of a publisher's
/// batch, not by its first message: the publisher pays one wake per batch, and the stage finds the
/// whole batch when it runs.
/// </summary>
public class StreamSubscriberWakeTests
{
    [Fact]
    public async Task A_waiting_stage_is_woken_once_when_the_publishers_batch_ends_and_finds_all_of_it()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var subscriber = new StreamSubscriber(1024, BufferOverflow.Backpressure, 64L * 1024 * 1024, TimeSpan.FromSeconds(2));
        var taken = new BrokerMessage?[1024];
        var wakes = new List<int>();
        // The wake runs the stage's pull at once, on the publisher's thread: what it takes is what was there when it was woken.
        subscriber.OnAvailable(() => wakes.Add(subscriber.TakeBatch(taken, out _, out _)));
        await app.AddSubscription(subscriber, "woken", null, 0);
        Assert.Equal(0, subscriber.TakeBatch(taken, out _, out _));

        await app.PublishBatchAsync(Enumerable.Range(0, 100).Select(i => OutgoingMessage.Text("woken", i.ToString())).ToList());

        Assert.Equal([100], wakes);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i.ToString()), taken.Take(100).Select(m => m!.PayloadText));
    }

    [Fact]
    public async Task A_single_publish_wakes_the_waiting_stage_by_itself()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var subscriber = new StreamSubscriber(1024, BufferOverflow.Backpressure, 64L * 1024 * 1024, TimeSpan.FromSeconds(2));
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.OnAvailable(() => woken.TrySetResult());
        await app.AddSubscription(subscriber, "single", null, 0);
        Assert.Equal(0, subscriber.TakeBatch(new BrokerMessage?[8], out _, out _));

        await app.PublishAsync("single", "one"u8.ToArray());

        // Its wake comes with the publisher's queued flush, without a further publish.
        await woken.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var taken = new BrokerMessage?[8];
        Assert.Equal(1, subscriber.TakeBatch(taken, out _, out _));
        Assert.Equal("one", taken[0]!.PayloadText);
    }
}
