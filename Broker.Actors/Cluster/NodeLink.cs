using System.Buffers;
using Broker.Links;
using Broker.Subjects;

namespace Broker.Cluster;

/// <summary>
/// One remote node's interest in one local account (see <see cref="FramedLink"/>): batches go on
/// the node's data connection, so a burst crosses as a few large writes.
/// </summary>
/// <remarks>Monitoring: each batch is counted on the peer's <see cref="ClusterRoute"/> when it leaves.</remarks>
internal sealed class NodeLink(string account, NodeOutbound node, ClusterRoute? route = null) : FramedLink(account, NodeFrames.Messages)
{
    public override string ToString() => $"NodeLink({Account} -> {node.Node})";

    public override SubscriberReach Reach => SubscriberReach.Cluster;

    protected override FramedConnection? Connection => node.Connection;

    public override void Deliver(
        Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
    {
        // One hop, as nats routes: a message that came from another node goes to local subscribers
        // only, unless it is a queue message no member here could take (handed on, once).
        if (context.FromOtherNode && !context.HandingOn) return;
        Append(subscription.Queue, subject, default, reply, headersAndPayload, headerSize, context);
    }

    /// <summary>Sends one message to the node's plain interest, not through a subscription: a response a gateway brought back (<see cref="NodeResponses"/>).</summary>
    public void Forward(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context) =>
        Append(default, subject, default, reply, headersAndPayload, headerSize, context);

    protected override void Send(byte[] buffer, int length, int messages, long payloadBytes)
    {
        // A batch while the connection is being replaced is lost, as on a broken nats route.
        if (node.Connection is { } connection) connection.SendPooled(buffer, length);
        else ArrayPool<byte>.Shared.Return(buffer);
        route?.Sent(messages, payloadBytes);
    }
}
