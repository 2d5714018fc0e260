using Broker.Cluster;
using Broker.Links;

namespace Broker.Gateways;

/// <summary>
/// This region's interest as other regions see it: every (account, subject, queue) that some
/// node of the region has, this node's own (from <see cref="LocalInterest"/>) and its cluster
/// peers' (from <see cref="RemoteNode"/>), counted per node. Inbound gateway connections get all
/// of it when they attach and every change after, in order, under one lock.
/// </summary>
internal sealed class RegionInterest : IRegionInterest
{
    private readonly object _gate = new();
    private readonly Dictionary<InterestEntry, int> _counts = new();
    /// <summary>
    /// Replaced, never changed in place: a Send can close a link whose Detach runs on this thread
    /// inside the walk (the lock is re-entrant), and a walk goes over the array it started with.
    /// </summary>
    private FramedConnection[] _listeners = [];

    public void Add(InterestEntry entry)
    {
        lock (_gate)
        {
            var count = _counts.GetValueOrDefault(entry) + 1;
            _counts[entry] = count;
            if (count == 1) Tell(new GatewayFrames.InterestFrame([entry], []));
        }
    }

    public void Remove(InterestEntry entry)
    {
        lock (_gate)
        {
            if (!_counts.TryGetValue(entry, out var count)) return;
            if (count > 1)
            {
                _counts[entry] = count - 1;
                return;
            }
            _counts.Remove(entry);
            Tell(new GatewayFrames.InterestFrame([], [entry]));
        }
    }

    /// <summary>Sends <paramref name="info"/>, then the whole interest, then every change, to an inbound connection.</summary>
    public void Attach(FramedConnection connection, byte[] info)
    {
        lock (_gate)
        {
            connection.Send(info);
            connection.Send(GatewayFrames.Encode(new GatewayFrames.InterestFrame(_counts.Keys.ToArray(), [])));
            _listeners = [.. _listeners, connection];
        }
    }

    public void Detach(FramedConnection connection)
    {
        lock (_gate) _listeners = Array.FindAll(_listeners, l => !ReferenceEquals(l, connection));
    }

    /// <summary>Sends a frame (a new INFO) to every attached connection, in order with the interest changes.</summary>
    public void Broadcast(byte[] frame)
    {
        lock (_gate)
        {
            foreach (var listener in _listeners) listener.Send(frame);
        }
    }

    public IReadOnlyList<FramedConnection> Inbound
    {
        get
        {
            lock (_gate) return _listeners;
        }
    }

    public IReadOnlyList<InterestEntry> Entries
    {
        get
        {
            lock (_gate) return _counts.Keys.ToArray();
        }
    }

    private void Tell(GatewayFrames.InterestFrame change)
    {
        if (_listeners.Length == 0) return;
        var frame = GatewayFrames.Encode(change);
        foreach (var listener in _listeners) listener.Send(frame);
    }
}
