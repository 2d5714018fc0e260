using Broker.Cluster;
using Broker.Subjects;
using Broker.Links;

namespace Broker.Gateways;

/// <summary>
/// One remote region's interest in one local account (see <see cref="FramedLink"/>): batches go
/// on the outbound gateway connection, reply subjects rewritten to come back here
/// (<see cref="GatewayReplies"/>). A message that matches several of the region's interests
/// crosses once, with all of them as targets.
/// </summary>
internal sealed class GatewayLink(string account, FramedConnection connection, byte[] replyPrefix) : FramedLink(account, LinkFrames.Messages)
{
    public override SubscriberReach Reach => SubscriberReach.Gateway;

    protected override FramedConnection? Connection => connection;

    public override string ToString() => $"GatewayLink({Account} -> {connection.Remote})";

    public override void Deliver(
        Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
    {
        // One hop: what came from another region, or from a node of this one (it sends its own), goes no further.
        if (context.FromOtherNode || context.FromGateway) return;
        Append(subscription.Queue, subject, replyPrefix, reply, headersAndPayload, headerSize, context);
    }

    /// <summary>A response to a request from the region this link goes to: no interest needed, its <c>_GR_</c> subject says where.</summary>
    public void SendReply(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context) =>
        Append([], subject, replyPrefix, reply, headersAndPayload, headerSize, context);

    protected override void Send(byte[] buffer, int length, int messages, long payloadBytes)
    {
        Interlocked.Add(ref connection.OutMessages, messages);
        Interlocked.Add(ref connection.OutBytes, length);
        connection.SendPooled(buffer, length);
    }
}
