using Akka.Actor;

namespace Broker.Cluster;

/// <summary>
/// A stopping node's last words on its data connections. Its clients are closed, so its queue
/// members are gone, but peers that chose one of them a moment earlier still have those messages
/// on their way here; this node hands them on to members elsewhere (<see cref="Links.FrameTargets"/>)
/// only while it still reads. So it tells every peer it is leaving (after its last interest change,
/// on the same connection), each peer answers once it applied that change and sent everything it
/// had batched for this node, and this node stops only after every answer, and after what it
/// handed on was written: a rolling restart loses no queue message that was confirmed to its publisher.
/// </summary>
public sealed partial class ClusterNodeActor
{
    /// <summary>Asked by a stopping server after its clients closed; answered with <see cref="LinksDrained"/> within <paramref name="Within"/>.</summary>
    public sealed record DrainLinks(TimeSpan Within);

    /// <summary>The answer to <see cref="DrainLinks"/>: <paramref name="Late"/> peers never answered in time (gone, or too slow).</summary>
    public sealed record LinksDrained(IReadOnlyList<string> Late);

    /// <summary>A peer said (<see cref="NodeFrames.Leaving"/>) it is leaving: send it what is batched, then <see cref="NodeFrames.Drained"/>.</summary>
    internal sealed record PeerLeaving(string Node, long Uid);

    /// <summary>A peer answered this node's <see cref="NodeFrames.Leaving"/>.</summary>
    internal sealed record PeerDrained(string Node, long Uid);

    private sealed record DepartureTimedOut
    {
        public static readonly DepartureTimedOut Instance = new();
    }

    /// <summary>A drain in progress: who asked, the peers still to answer, and when it ends regardless.</summary>
    private sealed record Departure(IActorRef Requester, HashSet<string> Waiting, DateTime Deadline);

    private Departure? _departure;

    private void OnDrainLinks(DrainLinks drain)
    {
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in _nodes.Values)
        {
            if (node.Outbound.Connection is { IsRunning: true } connection && connection.Send(NodeFrames.LeavingFrame)) waiting.Add(node.Node);
        }
        _departure = new Departure(Sender, waiting, DateTime.UtcNow + drain.Within);
        Timers.StartSingleTimer("departure", DepartureTimedOut.Instance, drain.Within);
        EndDepartureWhenDrained();
    }

    private void OnPeerLeaving(PeerLeaving leaving)
    {
        if (!_nodes.TryGetValue(leaving.Node, out var node) || node.Actor.Path.Uid != leaving.Uid) return;
        // Its interest change came before this on the same connection and is applied (this actor
        // waits for that), so no publisher picks its members now; what they picked before goes first.
        node.FlushLinks();
        node.Outbound.Connection?.Send(NodeFrames.DrainedFrame);
    }

    private void OnPeerDrained(PeerDrained drained)
    {
        if (_departure is null || !_nodes.TryGetValue(drained.Node, out var node) || node.Actor.Path.Uid != drained.Uid) return;
        _departure.Waiting.Remove(drained.Node);
        EndDepartureWhenDrained();
    }

    /// <summary>A peer forgotten, or its data connection closed, while leaving: nothing more comes from it.</summary>
    private void DepartureLost(string node)
    {
        if (_departure is null || !_departure.Waiting.Remove(node)) return;
        EndDepartureWhenDrained();
    }

    private void EndDepartureWhenDrained()
    {
        if (_departure is not { Waiting.Count: 0 } departure) return;
        EndDeparture(departure);
    }

    private void EndDeparture(Departure departure)
    {
        _departure = null;
        Timers.Cancel("departure");
        var late = departure.Waiting.ToArray();
        // What this node handed on while peers drained leaves before it stops.
        var written = _nodes.Values.Select(n => n.Outbound.Connection?.WhenWritten() ?? Task.CompletedTask).ToArray();
        var left = departure.Deadline - DateTime.UtcNow;
        Task.WhenAll(written).WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero)
            .ContinueWith(_ => new LinksDrained(late), TaskScheduler.Default)
            .PipeTo(departure.Requester);
    }
}
