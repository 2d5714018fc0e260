using System.Diagnostics;
using Broker.Bench.Drivers;
using Broker.Bench.Measurement;

namespace Broker.Bench.Scenarios;

/// <summary>
/// Publishers on distinct subjects, each with its own subscribers (all receiving, or one queue
/// group sharing the messages). A publisher stays at most a window of messages ahead of its
/// subscribers, so neither server is pushed into slow-consumer handling: the run measures
/// delivered throughput, not how fast a buffer fills.
/// </summary>
internal sealed class ThroughputScenario(
    string name, int publishers, int subscribersPerPublisher, bool queueGroup, int defaultSmall, int defaultLarge) : Scenario
{
    private const long WindowBytes = 8 * 1024 * 1024;

    public override string Name => name;

    public override int DefaultCount(int payloadSize) => payloadSize <= 64 ? defaultSmall : defaultLarge;

    public override async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        var lanes = new Lane[publishers];
        try
        {
            for (var i = 0; i < publishers; i++) lanes[i] = await Lane.CreateAsync(context, $"bench.{i}", subscribersPerPublisher, queueGroup);

            // Warm-up: the JIT (tiered, with PGO) and the servers' caches settle before anything is timed.
            var warmup = Stopwatch.StartNew();
            do await RunLanesAsync(lanes, Math.Max(1, context.Count / 10), context);
            while (warmup.Elapsed < context.Warmup);

            var before = context.SampleServer();
            var clientBefore = ProcessSample.OwnCpuSeconds();
            var clock = Stopwatch.StartNew();
            var delivered = await RunLanesAsync(lanes, context.Count, context);
            var seconds = clock.Elapsed.TotalSeconds;
            var after = context.SampleServer();

            var published = (double)context.Count * publishers;
            var metrics = new List<Metric>();
            if (subscribersPerPublisher > 1 && !queueGroup)
                metrics.Add(new Metric("deliveries/s", delivered / seconds, "msgs/s", HigherIsBetter: true));
            metrics.Add(new Metric("published/s", published / seconds, "msgs/s", HigherIsBetter: true));
            metrics.Add(new Metric("MB/s in", published * context.PayloadSize / seconds / 1e6, "MB/s", HigherIsBetter: true));
            return Result(context, this, metrics, before, after, clientBefore);
        }
        finally
        {
            foreach (var lane in lanes) lane?.Dispose();
        }
    }

    private static async Task<long> RunLanesAsync(Lane[] lanes, int count, ScenarioContext context)
    {
        var runs = lanes.Select(lane => Task.Run(() => lane.RunAsync(count, context))).ToArray();
        var delivered = await Task.WhenAll(runs);
        return delivered.Sum();
    }

    /// <summary>One publisher, its subject and its subscribers.</summary>
    private sealed class Lane : IDisposable
    {
        private readonly IBenchPublisher _publisher;
        private readonly IBenchSubscriber[] _subscribers;
        private readonly ProgressSignal _signal;
        private readonly bool _queueGroup;
        private readonly long _window;

        private Lane(IBenchPublisher publisher, IBenchSubscriber[] subscribers, ProgressSignal signal, bool queueGroup, int payloadSize)
        {
            _publisher = publisher;
            _subscribers = subscribers;
            _signal = signal;
            _queueGroup = queueGroup;
            _window = Math.Max(64, WindowBytes / (payloadSize + 40));
        }

        public static async Task<Lane> CreateAsync(ScenarioContext context, string subject, int subscribers, bool queueGroup)
        {
            var signal = new ProgressSignal();
            var subs = new IBenchSubscriber[subscribers];
            for (var i = 0; i < subscribers; i++)
                subs[i] = await context.Driver.SubscribeAsync(subject, queueGroup ? "workers" : null, signal);
            var publisher = await context.Driver.CreatePublisherAsync(subject, context.PayloadSize);
            return new Lane(publisher, subs, signal, queueGroup, context.PayloadSize);
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
            return delivered;
        }

        public void Dispose()
        {
            _publisher.Dispose();
            foreach (var subscriber in _subscribers) subscriber.Dispose();
        }
    }
}
