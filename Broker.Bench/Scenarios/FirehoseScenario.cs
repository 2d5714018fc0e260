using System.Diagnostics;
using Broker.Bench.Measurement;

namespace Broker.Bench.Scenarios;

/// <summary>
/// The firehose variant of a paced <see cref="ThroughputScenario"/>: the same publishers,
/// subscribers and nodes, but the publishers write as fast as the server reads (no client-side
/// pacing, <see cref="FirehoseLane"/>), so the server's own back-pressure is what keeps
/// subscribers whole. Its figure is the messages delivered per second, from the first write to
/// the last delivery. A run in which any subscriber lost a message, or one was cut off as a slow
/// consumer, fails (reported with what was lost), never a rate. Raw protocol only.
/// </summary>
internal sealed class FirehoseScenario(ThroughputScenario paced) : Scenario
{
    public override string Name => "firehose-" + paced.Name;

    public override int ClusterSize => paced.ClusterSize;

    public override int Regions => paced.Regions;

    public override LeafLink? LeafLink => paced.LeafLink;

    public override bool SupportsClientLibrary => false;

    public override int DefaultCount(int payloadSize) => paced.DefaultCount(payloadSize);

    public override async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        if (context.Nodes.Count < ClusterSize)
            throw new ArgumentException($"{Name} needs a cluster of {ClusterSize} nodes, got {context.Nodes.Count}");
        var subscriberNodes = Enumerable.Range(0, paced.SubscribersPerPublisher).Select(i => context.Nodes[paced.SubscriberNode(i)]).ToArray();
        var lanes = new FirehoseLane[paced.Publishers];
        try
        {
            for (var i = 0; i < lanes.Length; i++)
            {
                var subject = $"firehose.{i}";
                lanes[i] = await Task.Run(() => FirehoseLane.Create(context.Nodes[0].Endpoint, subscriberNodes.Select(n => n.Endpoint).ToArray(), subject, paced.QueueGroup, context.PayloadSize));
            }
            if (ClusterSize > 1)
                await InterestProbe.WaitAsync(context.Nodes[0].Driver, subscriberNodes.Select(n => n.Driver).Distinct().ToArray(), "bench.probe", context.Deadline, queueGroups: paced.QueueGroup);

            // Warm-up, firehose too: a loss here fails the run as well.
            var warmup = Stopwatch.StartNew();
            do EnsureWhole(await RunLanesAsync(lanes, Math.Max(1, context.Count / 10), context), "warm-up");
            while (warmup.Elapsed < context.Warmup);

            var before = context.SampleServer();
            var clientBefore = ProcessSample.OwnCpuSeconds();
            var outcomes = await RunLanesAsync(lanes, context.Count, context);
            var after = context.SampleServer();
            EnsureWhole(outcomes, "run");

            var delivered = outcomes.Sum(o => o.Delivered);
            var seconds = outcomes.Max(o => o.Elapsed).TotalSeconds;
            var published = (double)context.Count * paced.Publishers;
            return Result(context, this,
            [
                new Metric("delivered/s", delivered / seconds, "msgs/s", HigherIsBetter: true),
                new Metric("published/s", published / seconds, "msgs/s", HigherIsBetter: true),
                new Metric("lost", 0, "msgs", HigherIsBetter: false),
                new Metric("slow-consumer cut-offs", 0, "", HigherIsBetter: false),
            ], before, after, clientBefore);
        }
        finally
        {
            foreach (var lane in lanes) lane?.Dispose();
        }
    }

    /// <summary>A run that lost anything is a failed run: the error names what was lost and how many subscribers were cut off.</summary>
    private static void EnsureWhole(FirehoseLane.Outcome[] outcomes, string what)
    {
        var lost = outcomes.Sum(o => o.Lost);
        var cutOffs = outcomes.Sum(o => o.CutOffs);
        if (lost == 0 && cutOffs == 0) return;
        var error = outcomes.Select(o => o.FirstError).FirstOrDefault(e => e is not null);
        throw new FirehoseLossException(
            $"{what}: lost {lost:N0} of {outcomes.Sum(o => o.Expected):N0} messages, {cutOffs} slow-consumer cut-off(s){(error is null ? "" : $" ({error})")}",
            lost, cutOffs);
    }

    private static async Task<FirehoseLane.Outcome[]> RunLanesAsync(FirehoseLane[] lanes, int count, ScenarioContext context) =>
        await Task.WhenAll(lanes.Select(lane => Task.Factory.StartNew(() => lane.Run(count, context.Deadline), TaskCreationOptions.LongRunning)));
}

/// <summary>A firehose run in which subscribers lost messages: a failed run, with what it lost.</summary>
internal sealed class FirehoseLossException(string message, long lost, int cutOffs) : Exception(message)
{
    public long Lost { get; } = lost;
    public int CutOffs { get; } = cutOffs;
}
