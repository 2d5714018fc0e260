namespace Broker.Bench.Memory;

/// <summary>A fresh server with nothing connected, after its start has settled.</summary>
internal sealed class IdleMemory : MemoryScenario
{
    public override string Name => "idle";
    public override string Description => "fresh server, no connection";

    public override async Task RunAsync(MemoryProbe probe) => await probe.ReadSettledAsync("idle", TimeSpan.FromSeconds(5));
}
