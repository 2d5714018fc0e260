using Akka.Actor;
using Broker.Links;

namespace Broker.Cluster;

/// <summary>
/// This node's data connection to one peer: everything this node tells the peer after the Akka
/// Hello goes on it, in order: an introduction, the whole local interest, interest changes and
/// the <see cref="NodeLink"/>s' message batches. The peer only pings back. The connection can be
/// replaced (a reconnect) while links hold this object, so they always send on the current one.
/// </summary>
internal sealed class NodeOutbound(string node, IActorRef owner) : IFramedConnectionOwner
{
    private FramedConnection? _connection;

    /// <summary>The peer's node id.</summary>
    public string Node { get; } = node;

    /// <summary>The current connection; null before the first and after <see cref="Close"/>.</summary>
    public FramedConnection? Connection => Volatile.Read(ref _connection);

    public void Use(FramedConnection connection) => Volatile.Write(ref _connection, connection);

    /// <summary>The peer is gone: the connection closes and no other replaces it.</summary>
    public void Close(string why) => Interlocked.Exchange(ref _connection, null)?.Close(why);

    public void OnFrame(FramedConnection connection, byte type, ReadOnlySpan<byte> body) =>
        connection.Close($"unexpected frame type {type} on an outbound node connection");

    /// <summary>Reported to the cluster node actor, which reconnects while the peer is still a member.</summary>
    public void OnClosed(FramedConnection connection, string why) => owner.Tell(new Closed(this, connection, why));

    public sealed record Closed(NodeOutbound Outbound, FramedConnection Connection, string Why);
}
