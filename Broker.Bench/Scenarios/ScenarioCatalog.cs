namespace Broker.Bench.Scenarios;

/// <summary>The scenarios of the comparison, in the order they run.</summary>
internal static class ScenarioCatalog
{
    private static readonly ThroughputScenario[] Paced =
    [
        new("1-to-1", publishers: 1, subscribersPerPublisher: 1, queueGroup: false, 15_000_000, 2_000_000),
        new("fan-out-5", publishers: 1, subscribersPerPublisher: 5, queueGroup: false, 4_000_000, 500_000),
        new("queue-4", publishers: 1, subscribersPerPublisher: 4, queueGroup: true, 12_000_000, 1_500_000),
        new("4x4", publishers: 4, subscribersPerPublisher: 1, queueGroup: false, 4_000_000, 500_000),
    ];

    private static readonly ThroughputScenario[] PacedCrossNode =
    [
        new("cross-1-to-1", publishers: 1, subscribersPerPublisher: 1, queueGroup: false, 6_000_000, 1_000_000, clusterSize: 2),
        new("cross-fan-out-4", publishers: 1, subscribersPerPublisher: 4, queueGroup: false, 2_000_000, 300_000, clusterSize: 2),
        new("cross-queue-4", publishers: 1, subscribersPerPublisher: 4, queueGroup: true, 6_000_000, 1_000_000, clusterSize: 2),
        new("cross3-fan-out-4", publishers: 1, subscribersPerPublisher: 4, queueGroup: false, 2_000_000, 300_000, clusterSize: 3),
        new("cross3-queue-4", publishers: 1, subscribersPerPublisher: 4, queueGroup: true, 6_000_000, 1_000_000, clusterSize: 3),
    ];

    private static readonly ThroughputScenario[] PacedCrossRegion =
    [
        new("region-1-to-1", publishers: 1, subscribersPerPublisher: 1, queueGroup: false, 6_000_000, 1_000_000, clusterSize: 2, regions: 2),
        new("region-fan-out-4", publishers: 1, subscribersPerPublisher: 4, queueGroup: false, 2_000_000, 300_000, clusterSize: 2, regions: 2),
        new("region-queue-4", publishers: 1, subscribersPerPublisher: 4, queueGroup: true, 6_000_000, 1_000_000, clusterSize: 2, regions: 2),
        new("region2-fan-out-4", publishers: 1, subscribersPerPublisher: 4, queueGroup: false, 2_000_000, 300_000, clusterSize: 4, regions: 2),
    ];

    private static readonly ThroughputScenario[] PacedLeafLink =
    [
        new("leaf-to-hub-1-to-1", publishers: 1, subscribersPerPublisher: 1, queueGroup: false, 6_000_000, 1_000_000, leafLink: LeafLink.LeafToHub),
        new("hub-to-leaf-1-to-1", publishers: 1, subscribersPerPublisher: 1, queueGroup: false, 6_000_000, 1_000_000, leafLink: LeafLink.HubToLeaf),
        new("hub-to-leaf-fan-out-5", publishers: 1, subscribersPerPublisher: 5, queueGroup: false, 2_000_000, 300_000, leafLink: LeafLink.HubToLeaf),
        new("leaf-to-hub-fan-out-5", publishers: 1, subscribersPerPublisher: 5, queueGroup: false, 2_000_000, 300_000, leafLink: LeafLink.LeafToHub),
    ];

    /// <summary>
    /// Against one server: what <c>compare</c> runs unless told otherwise. Each paced throughput
    /// scenario has a <c>firehose-</c> variant (<see cref="FirehoseScenario"/>); pub-only has no
    /// subscribers to pace for, so it is a firehose already.
    /// </summary>
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new ThroughputScenario("pub-only", publishers: 1, subscribersPerPublisher: 0, queueGroup: false, 30_000_000, 6_000_000),
        .. Paced,
        .. Paced.Select(p => new FirehoseScenario(p)),
        new RequestLatencyScenario(),
        new RequestThroughputScenario(inFlight: 32),
        new ManyConnectionsScenario(),
    ];

    /// <summary>
    /// Across a cluster formed for each run: the publisher on node A, subscribers on node B (2 nodes),
    /// or spread over B and C (the <c>cross3-</c> ones, 3 nodes). Run with <c>--scenarios</c> (compare-cluster.sh).
    /// </summary>
    public static IReadOnlyList<Scenario> CrossNode { get; } = [.. PacedCrossNode, .. PacedCrossNode.Select(p => new FirehoseScenario(p))];

    /// <summary>
    /// Across two regions (A and B) joined by gateways, formed for each run: the publisher in region A,
    /// subscribers in region B. One node per region, or two (the <c>region2-</c> ones: each region a
    /// cluster too, subscribers on both of B's nodes). Run with <c>--scenarios</c> (compare-region.sh).
    /// </summary>
    public static IReadOnlyList<Scenario> CrossRegion { get; } = [.. PacedCrossRegion, .. PacedCrossRegion.Select(p => new FirehoseScenario(p))];

    /// <summary>
    /// Across a leaf link (a hub and its leaf, formed for each run): publishers on one side,
    /// subscribers on the other, named by direction; requests from the leaf to a responder on the
    /// hub. Run with <c>--scenarios</c> (compare-leaf.sh).
    /// </summary>
    public static IReadOnlyList<Scenario> AcrossLeafLink { get; } =
    [
        .. PacedLeafLink,
        .. PacedLeafLink.Select(p => new FirehoseScenario(p)),
        new RequestLatencyScenario(LeafLink.LeafToHub),
        new RequestThroughputScenario(inFlight: 32, LeafLink.LeafToHub),
    ];

    private static IEnumerable<Scenario> Every => All.Concat(CrossNode).Concat(CrossRegion).Concat(AcrossLeafLink);

    public static Scenario Find(string name) =>
        Every.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown scenario '{name}'; known: {string.Join(", ", Every.Select(s => s.Name))}");
}
