using Broker.Bench.Drivers;

namespace Broker.Bench.Scenarios;

/// <summary>
/// One publisher, its subject and its subscribers (all receiving, or one queue group sharing the
/// messages). The publisher stays at most a window of messages ahead of its subscribers, so no
/// server is pushed into slow-consumer handling: a run measures delivered throughput, not how fast
/// a buffer fills.
/// </summary>
internal sealed class ThroughputLane : IDisposable
{
    private const long WindowBytes = 8 * 1024 * 1024;

    private readonly IBenchPublisher _publisher;
    private readonly IBenchSubscriber[] _subscribers;
    private readonly ProgressSignal _signal;
    private readonly bool _queueGroup;
    private readonly long _window;

    private ThroughputLane(IBenchPublisher publisher, IBenchSubscriber[] subscribers, ProgressSignal signal, bool queueGroup, int payloadSize)
    {
        _publisher = publisher;
        _subscribers = subscribers;
        _signal = signal;
        _queueGroup = queueGroup;
        _window = Math.Max(64, WindowBytes / (payloadSize + 40));
    }

    /// <summary>Subscribes through each of <paramref name="subscriberNodes"/> (one subscriber per entry), then connects the publisher.</summary>
    public static async Task<ThroughputLane> CreateAsync(
        ILoadDriver publisherNode, IReadOnlyList<ILoadDriver> subscriberNodes, string subject, bool queueGroup, int payloadSize)
    {
        var signal = new ProgressSignal();
        var subs = new IBenchSubscriber[subscriberNodes.Count];
        try
        {
            for (var i = 0; i < subs.Length; i++)
                subs[i] = await subscriberNodes[i].SubscribeAsync(subject, queueGroup ? "workers" : null, signal);
            var publisher = await publisherNode.CreatePublisherAsync(subject, payloadSize);
            return new ThroughputLane(publisher, subs, signal, queueGroup, payloadSize);
        }
        catch
        {
            foreach (var subscriber in subs) subscriber?.Dispose();
            throw;
        }
    }

    /// <summary>How many published messages the subscribers have all seen (queue: seen by one member).</summary>
    private long Progress()
    {
        if (_queueGroup) return _subscribers.Sum(s => s.Received);
        var least = long.MaxValue;
        foreach (var subscriber in _subscribers) least = Math.Min(least, subscriber.Received);
        return least;
    }

    private long TotalReceived() => _subscribers.Sum(s => s.Received);

    /// <summary>Publishes <paramref name="count"/> messages and waits until every one is delivered; returns deliveries.</summary>
    public async Task<long> RunAsync(int count, ScenarioContext context)
    {
        var progressBase = _subscribers.Length == 0 ? 0 : Progress();
        var receivedBase = TotalReceived();
        var chunk = (int)Math.Max(1, _window / 4);
        long sent = 0;
        while (sent < count)
        {
            if (_subscribers.Length > 0 && !_signal.WaitUntil(() => sent - (Progress() - progressBase) <= _window - chunk, context.Deadline))
                context.EnsureBeforeDeadline("subscribers to catch up");
            var n = (int)Math.Min(chunk, count - sent);
            await _publisher.PublishAsync(n);
            sent += n;
        }
        if (_subscribers.Length == 0)
        {
            await _publisher.FlushAsync();
            return 0;
        }
        if (!_signal.WaitUntil(() => Progress() - progressBase >= count, context.Deadline))
            throw new TimeoutException($"only {Progress() - progressBase} of {count} messages delivered within {context.Timeout.TotalSeconds:0}s");
        var delivered = TotalReceived() - receivedBase;
        if (_queueGroup && delivered != count)
            throw new InvalidOperationException($"queue group received {delivered} messages for {count} published: not exactly once");
        // Progress counts the slowest subscriber, so a duplicate elsewhere would pass unseen and inflate the figure.
        if (!_queueGroup && delivered != (long)count * _subscribers.Length)
            throw new InvalidOperationException($"{_subscribers.Length} subscriber(s) received {delivered} messages for {count} published: not exactly once each");
        return delivered;
    }

    public void Dispose()
    {
        _publisher.Dispose();
        foreach (var subscriber in _subscribers) subscriber.Dispose();
    }
}
