namespace Broker.Bench.Scenarios;

/// <summary>What one run of one scenario measured, against one server.</summary>
internal sealed record ScenarioResult(
    string Scenario,
    int PayloadSize,
    IReadOnlyList<Metric> Metrics,
    double ServerCpuSeconds,
    long ServerPeakResidentBytes,
    double ClientCpuSeconds)
{
    /// <summary>The figure the comparison ranks by: the scenario's first metric.</summary>
    public Metric Primary => Metrics[0];
}
