using Broker.Clients;

namespace Broker.Runtime;

/// <summary>Server-wide counters, updated with interlocked adds off the per-message path.</summary>
public sealed class ServerStats
{
    private long _slowConsumers;
    private long _totalConnections;

    // The traffic totals: connections count on their own counters while tracked, and their final
    // counts move to _closedTraffic under the same lock, so a total never drops as a client leaves.
    private readonly object _trafficGate = new();
    private readonly HashSet<ClientConnection> _tracked = new();
    private readonly HashSet<IEmbeddedConnection> _trackedEmbedded = new();
    private Traffic _closedTraffic;

    public long SlowConsumers => Interlocked.Read(ref _slowConsumers);
    public long TotalConnections => Interlocked.Read(ref _totalConnections);

    /// <summary>In and out messages and bytes since start, closed connections included.</summary>
    public Traffic Traffic
    {
        get
        {
            lock (_trafficGate)
            {
                var total = _closedTraffic;
                foreach (var connection in _tracked) total += Traffic.Of(connection);
                foreach (var connection in _trackedEmbedded) total += connection.Traffic;
                return total;
            }
        }
    }

    internal void SlowConsumerDetected() => Interlocked.Increment(ref _slowConsumers);
    internal void ConnectionAccepted() => Interlocked.Increment(ref _totalConnections);

    internal void Track(ClientConnection connection)
    {
        lock (_trafficGate) _tracked.Add(connection);
    }

    /// <summary>An in-process connection counts as a client, as nats-server counts every client's traffic.</summary>
    internal void Track(IEmbeddedConnection connection)
    {
        lock (_trafficGate) _trackedEmbedded.Add(connection);
    }

    internal void Retire(IEmbeddedConnection connection)
    {
        lock (_trafficGate)
        {
            if (_trackedEmbedded.Remove(connection)) _closedTraffic += connection.Traffic;
        }
    }

    /// <summary>The connection is finished: its counts are final and join the closed totals.</summary>
    internal void Retire(ClientConnection connection)
    {
        lock (_trafficGate)
        {
            if (_tracked.Remove(connection)) _closedTraffic += Traffic.Of(connection);
        }
    }
}
