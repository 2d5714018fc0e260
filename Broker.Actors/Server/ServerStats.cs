namespace Broker.Server;

/// <summary>Server-wide counters, updated with interlocked adds off the per-message path.</summary>
public sealed class ServerStats
{
    private long _slowConsumers;
    private long _totalConnections;

    public long SlowConsumers => Interlocked.Read(ref _slowConsumers);
    public long TotalConnections => Interlocked.Read(ref _totalConnections);

    internal void SlowConsumerDetected() => Interlocked.Increment(ref _slowConsumers);
    internal void ConnectionAccepted() => Interlocked.Increment(ref _totalConnections);
}
