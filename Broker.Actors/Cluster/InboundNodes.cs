using System.Collections.Concurrent;
using Akka.Actor;
using Broker.Accounts;
using Broker.Links;

namespace Broker.Cluster;

/// <summary>
/// The data connections peers opened to this node. Each first presents the ticket this node gave
/// an admitted member in its Hello (within the admission timeout, in a small frame; anything else
/// closes it), which binds the connection to that member; then it sends the member's interest and
/// message batches. Interest goes to the cluster node actor (which owns the
/// peers' held interest); batches are delivered here, on the connection's read loop, with a
/// delivery context of the connection's own. A batch waits until the interest sent before it is
/// applied to the shards, so a reply to a request finds the requester's interest (as a nats route's
/// RS+ precedes its RMSG).
/// </summary>
internal sealed class InboundNodes(IActorRef owner, AccountDirectory accounts, ClusterRoutes routes, NodeAdmission admission) : IFramedConnectionOwner
{
    private readonly ConcurrentDictionary<FramedConnection, Inbound> _connections = new();

    /// <summary>Interest read from a peer's connection; the actor completes <paramref name="Applied"/> once publishers see it.</summary>
    public sealed record InterestArrived(string Node, long Uid, bool Snapshot, InterestEntry[] Added, InterestEntry[] Removed, TaskCompletionSource Applied);

    private sealed class Inbound(InboundDelivery delivery)
    {
        public string? Node;
        public long Uid;
        public InboundDelivery Delivery { get; } = delivery;
        // The last interest sent to the actor; only read and written on the read loop (and on close).
        public TaskCompletionSource? Pending;
    }

    public void Accept(FramedConnection connection, TimeSpan pingInterval, int pingMax)
    {
        var inbound = _connections[connection] = new Inbound(new InboundDelivery(accounts, pausesForRoom: true));
        connection.RequireHandshake(admission.Timeout, () => Volatile.Read(ref inbound.Node) is not null);
        connection.Start(pingInterval, pingMax);
    }

    public Task? WaitBefore(FramedConnection connection, byte type) =>
        type is NodeFrames.Messages or NodeFrames.Leaving && _connections.TryGetValue(connection, out var inbound) ? inbound.Pending?.Task : null;

    public Task? WaitAfter(FramedConnection connection) =>
        _connections.TryGetValue(connection, out var inbound) ? inbound.Delivery.WaitForRoom() : null;

    public void OnFrame(FramedConnection connection, byte type, ReadOnlySpan<byte> body)
    {
        if (!_connections.TryGetValue(connection, out var inbound)) return;
        switch (type)
        {
            case NodeFrames.Introduce when inbound.Node is null:
                if (!admission.Tickets.TryGetValue(NodeFrames.DecodeIntroduce(body), out var member))
                {
                    connection.Close("protocol error: a data connection without a ticket of an admitted member");
                    return;
                }
                inbound.Uid = member.Uid;
                Volatile.Write(ref inbound.Node, member.Node);
                connection.FrameLimit = LinkFrames.MaxFrame;
                break;
            case NodeFrames.Snapshot or NodeFrames.Interest when inbound.Node is not null:
                var (added, removed) = NodeFrames.DecodeInterest(body);
                var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                inbound.Pending = applied;
                owner.Tell(new InterestArrived(inbound.Node, inbound.Uid, type == NodeFrames.Snapshot, added, removed, applied));
                break;
            case NodeFrames.Messages when inbound.Node is not null:
                if (!inbound.Delivery.Deliver(body, routes.Of(inbound.Node)))
                    connection.Close($"protocol error: messages for an account {inbound.Node} has no business in here");
                break;
            case NodeFrames.Leaving when inbound.Node is not null:
                owner.Tell(new ClusterNodeActor.PeerLeaving(inbound.Node, inbound.Uid));
                break;
            case NodeFrames.Drained when inbound.Node is not null:
                owner.Tell(new ClusterNodeActor.PeerDrained(inbound.Node, inbound.Uid));
                break;
            default:
                connection.Close($"unexpected frame type {type} on an inbound node connection");
                break;
        }
    }

    public void OnClosed(FramedConnection connection, string why)
    {
        // A read loop waiting on interest the actor will never apply (it stopped) is let go.
        if (_connections.TryRemove(connection, out var inbound)) inbound.Pending?.TrySetResult();
    }

    /// <summary>The peer was forgotten: what it still sends is not wanted (a new Hello brings a new connection).</summary>
    public void CloseFrom(string node)
    {
        foreach (var (connection, inbound) in _connections)
        {
            if (inbound.Node == node) connection.Close("node forgotten");
        }
    }

    public void CloseAll()
    {
        foreach (var connection in _connections.Keys) connection.Close("node stopping");
    }
}
