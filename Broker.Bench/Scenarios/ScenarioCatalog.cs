namespace Broker.Bench.Scenarios;

/// <summary>The scenarios of the comparison, in the order they run.</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new ThroughputScenario("pub-only", publishers: 1, subscribersPerPublisher: 0, queueGroup: false, 30_000_000, 6_000_000),
        new ThroughputScenario("1-to-1", publishers: 1, subscribersPerPublisher: 1, queueGroup: false, 15_000_000, 2_000_000),
        new ThroughputScenario("fan-out-5", publishers: 1, subscribersPerPublisher: 5, queueGroup: false, 4_000_000, 500_000),
        new ThroughputScenario("queue-4", publishers: 1, subscribersPerPublisher: 4, queueGroup: true, 12_000_000, 1_500_000),
        new ThroughputScenario("4x4", publishers: 4, subscribersPerPublisher: 1, queueGroup: false, 4_000_000, 500_000),
        new RequestLatencyScenario(),
        new RequestThroughputScenario(inFlight: 32),
        new ManyConnectionsScenario(),
    ];

    public static Scenario Find(string name) =>
        All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown scenario '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}");
}
