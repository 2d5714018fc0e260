using System.Diagnostics;
using Broker.Bench.Measurement;

namespace Broker.Bench.Scenarios;

/// <summary>
/// Publishers on distinct subjects, each with its own subscribers (all receiving, or one queue
/// group sharing the messages), run as <see cref="ThroughputLane"/>s.
/// <para>
/// With a <paramref name="clusterSize"/> above 1 the scenario is cross-node: publishers connect to
/// node 0 and subscribers to the other nodes in turn (node 1, node 2, node 1, ...), so every
/// message crosses from one node to another; the run starts only once an <see cref="InterestProbe"/>
/// shows the subscribers' interest has reached node 0, and its first figure is the messages the
/// subscribers received per second.
/// </para>
/// <para>
/// With <paramref name="regions"/> above 1 the nodes form that many regions joined by gateways
/// (nodes 0 .. n-1 region A, n .. 2n-1 region B, ...): publishers connect to node 0 in region A and
/// subscribers to region B's nodes in turn, so every message crosses a gateway.
/// </para>
/// <para>
/// With a <paramref name="leafLink"/> the two nodes are a hub and its leaf: publishers connect to
/// the side the link's direction starts from, subscribers to the other, so every message crosses
/// the leaf link.
/// </para>
/// </summary>
internal sealed class ThroughputScenario(
    string name, int publishers, int subscribersPerPublisher, bool queueGroup, int defaultSmall, int defaultLarge, int clusterSize = 1, int regions = 1, LeafLink? leafLink = null) : Scenario
{
    public override string Name => name;

    public int Publishers => publishers;

    public int SubscribersPerPublisher => subscribersPerPublisher;

    public bool QueueGroup => queueGroup;

    public override int ClusterSize => leafLink is null ? clusterSize : 2;

    public override int Regions => regions;

    public override LeafLink? LeafLink => leafLink;

    public override int DefaultCount(int payloadSize) => payloadSize <= 64 ? defaultSmall : defaultLarge;

    /// <summary>The node subscriber <paramref name="index"/> connects to.</summary>
    public int SubscriberNode(int index)
    {
        if (leafLink is not null) return 1;
        if (clusterSize == 1) return 0;
        if (regions == 1) return 1 + index % (clusterSize - 1);
        var nodesPerRegion = clusterSize / regions;
        return nodesPerRegion + index % nodesPerRegion;
    }

    public override async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        if (context.Nodes.Count < ClusterSize)
            throw new ArgumentException($"{name} needs a cluster of {ClusterSize} nodes, got {context.Nodes.Count}");
        var subscriberNodes = Enumerable.Range(0, subscribersPerPublisher).Select(i => context.Nodes[SubscriberNode(i)].Driver).ToArray();
        var lanes = new ThroughputLane[publishers];
        try
        {
            for (var i = 0; i < publishers; i++)
                lanes[i] = await ThroughputLane.CreateAsync(context.Nodes[0].Driver, subscriberNodes, $"bench.{i}", queueGroup, context.PayloadSize);
            if (ClusterSize > 1)
                await InterestProbe.WaitAsync(context.Nodes[0].Driver, subscriberNodes.Distinct().ToArray(), "bench.probe", context.Deadline, queueGroups: queueGroup);

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
            if (ClusterSize > 1)
                metrics.Add(new Metric("received/s", delivered / seconds, "msgs/s", HigherIsBetter: true));
            else if (subscribersPerPublisher > 1 && !queueGroup)
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

    private static async Task<long> RunLanesAsync(ThroughputLane[] lanes, int count, ScenarioContext context)
    {
        var runs = lanes.Select(lane => Task.Run(() => lane.RunAsync(count, context))).ToArray();
        var delivered = await Task.WhenAll(runs);
        return delivered.Sum();
    }
}
