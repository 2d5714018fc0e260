namespace Broker.Bench.Scenarios;

/// <summary>A load shape, runnable against any server through any driver.</summary>
internal abstract class Scenario
{
    public abstract string Name { get; }

    /// <summary>Messages per run when none is given: sized for a run of a few seconds at nats-server's speed.</summary>
    public abstract int DefaultCount(int payloadSize);

    /// <summary>Whether the scenario has a version for the NATS.Net driver (the raw generator runs them all).</summary>
    public virtual bool SupportsClientLibrary => true;

    /// <summary>How many servers the scenario runs against: 1, or the nodes of a cluster formed for the run.</summary>
    public virtual int ClusterSize => 1;

    /// <summary>Into how many regions (joined by gateways) the <see cref="ClusterSize"/> nodes are split: 1 is one cluster.</summary>
    public virtual int Regions => 1;

    /// <summary>
    /// Set for a run across a leaf link: two servers, a hub and its leaf, node 0 the side this says
    /// messages (or requests) leave from, node 1 the other.
    /// </summary>
    public virtual LeafLink? LeafLink => null;

    public abstract Task<ScenarioResult> RunAsync(ScenarioContext context);

    protected static ScenarioResult Result(ScenarioContext context, Scenario scenario, IReadOnlyList<Metric> metrics,
        Measurement.ProcessSample before, Measurement.ProcessSample after, double clientCpuBefore) =>
        new(scenario.Name, context.PayloadSize, metrics, after.CpuSeconds - before.CpuSeconds, after.PeakResidentBytes,
            Measurement.ProcessSample.OwnCpuSeconds() - clientCpuBefore);
}
