namespace Broker.Bench.Memory;

/// <summary>A memory scenario over several server processes (a cluster or a supercluster) started from shared configuration files.</summary>
internal interface IMultiNodeScenario
{
    int Size { get; }
    int Regions { get; }
    Task RunAsync(IReadOnlyList<MemoryProbe> nodes);
}
