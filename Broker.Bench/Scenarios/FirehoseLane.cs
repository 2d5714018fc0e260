using System.Diagnostics;
using System.Net;
using Broker.Bench.Drivers;

namespace Broker.Bench.Scenarios;

/// <summary>
/// One firehose publisher, its subject and its raw subscribers: the publisher writes its
/// pre-serialised PUB frames as fast as the socket takes them, with no window on the subscribers;
/// only the server's own back-pressure (TCP, a producer pause) can slow it. The run then waits
/// until every message arrived, or until nothing more arrives: what is missing is lost.
/// </summary>
internal sealed class FirehoseLane : IDisposable
{
    /// <summary>After the publisher's PONG, this long without one message more ends the wait: the rest is lost.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    private readonly RawPublisher _publisher;
    private readonly RawSubscriber[] _subscribers;
    private readonly ProgressSignal _signal;
    private readonly bool _queueGroup;

    private FirehoseLane(RawPublisher publisher, RawSubscriber[] subscribers, ProgressSignal signal, bool queueGroup)
    {
        _publisher = publisher;
        _subscribers = subscribers;
        _signal = signal;
        _queueGroup = queueGroup;
    }

    public static FirehoseLane Create(IPEndPoint publisherNode, IReadOnlyList<IPEndPoint> subscriberNodes, string subject, bool queueGroup, int payloadSize)
    {
        var signal = new ProgressSignal();
        var subs = new RawSubscriber[subscriberNodes.Count];
        try
        {
            for (var i = 0; i < subs.Length; i++) subs[i] = new RawSubscriber(subscriberNodes[i], subject, queueGroup ? "workers" : null, signal);
            return new FirehoseLane(new RawPublisher(publisherNode, subject, payloadSize), subs, signal, queueGroup);
        }
        catch
        {
            foreach (var subscriber in subs) subscriber?.Dispose();
            throw;
        }
    }

    /// <summary>What one run delivered: <see cref="Lost"/> is what the subscribers should have had and did not get.</summary>
    public sealed record Outcome(long Expected, long Delivered, int CutOffs, TimeSpan Elapsed, string? FirstError)
    {
        public long Lost => Math.Max(0, Expected - Delivered);
    }

    /// <summary>Publishes <paramref name="count"/> messages flat out and counts what arrives; the clock runs from the first write to the last delivery.</summary>
    public Outcome Run(int count, DateTime deadline)
    {
        var before = Received();
        var expected = _queueGroup ? count : (long)count * _subscribers.Length;
        var clock = Stopwatch.StartNew();
        _publisher.PublishAsync(count).AsTask().GetAwaiter().GetResult();
        _publisher.FlushAsync().AsTask().GetAwaiter().GetResult();
        var lastCount = Received() - before;
        var lastChange = clock.Elapsed;
        var elapsed = clock.Elapsed;
        while (DateTime.UtcNow < deadline)
        {
            var now = Received() - before;
            if (now != lastCount)
            {
                lastCount = now;
                lastChange = clock.Elapsed;
            }
            if (now >= expected || _subscribers.All(s => s.ClosedByServer))
            {
                elapsed = lastChange;
                break;
            }
            if (clock.Elapsed - lastChange > Quiet)
            {
                elapsed = lastChange;
                break;
            }
            _signal.WaitUntil(() => Received() - before != lastCount, DateTime.UtcNow + TimeSpan.FromMilliseconds(100));
        }
        var cutOffs = _subscribers.Count(s => s.ClosedByServer || s.Error is not null);
        return new Outcome(expected, Received() - before, cutOffs, elapsed, _subscribers.Select(s => s.Error).FirstOrDefault(e => e is not null));
    }

    private long Received() => _subscribers.Sum(s => s.Received);

    public void Dispose()
    {
        _publisher.Dispose();
        foreach (var subscriber in _subscribers) subscriber.Dispose();
    }
}
