namespace Broker.Bench.Comparison;

/// <summary>
/// The configuration files of a multi-node run, one per node, and each node's client port (where
/// the launcher waits for it and the load generator connects). Deleted on dispose.
/// </summary>
internal interface IServerConfigFiles : IDisposable
{
    IReadOnlyList<string> Paths { get; }
    IReadOnlyList<int> ClientPorts { get; }
}
