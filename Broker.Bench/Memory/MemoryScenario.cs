namespace Broker.Bench.Memory;

/// <summary>
/// A load whose cost in server memory is measured: each server starts fresh for it (so its peak
/// belongs to this load alone), with <see cref="ConfigLines"/> added to its configuration file.
/// </summary>
internal abstract class MemoryScenario
{
    public abstract string Name { get; }

    /// <summary>What the load is, for the report.</summary>
    public abstract string Description { get; }

    /// <summary>Configuration lines both servers understand alike (nats-server syntax).</summary>
    public virtual string ConfigLines => "";

    /// <summary>Applies the load, reading memory at the moments that matter.</summary>
    public abstract Task RunAsync(MemoryProbe probe);

    /// <summary>The time a server gets to give memory back after a load ends.</summary>
    protected static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The reading a fixed <see cref="SettleTime"/> after the load: resident memory that does not
    /// move right after a load may still be given back a few seconds later, so no early exit here.
    /// </summary>
    protected static async Task ReadAfterLoadAsync(MemoryProbe probe)
    {
        await Task.Delay(SettleTime);
        probe.Read("after");
    }
}
