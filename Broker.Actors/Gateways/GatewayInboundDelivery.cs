using Akka.Actor;
using Broker.Accounts;
using Broker.Cluster;
using Broker.Subjects;
using Broker.Links;

namespace Broker.Gateways;

/// <summary>
/// Delivers the batches another region's node sends on one inbound connection, on that
/// connection's read loop: each message to this region's matching subscribers (here, and on the
/// other nodes through node links), a queue message to one member of its group in this region.
/// A response addressed <c>_GR_.REGION.NODE.</c> goes to its requester's node directly. A batch
/// that crowds a subscriber (a client here, or a node link) pauses the connection's reading while
/// it drains (<see cref="WaitForRoom"/>), as a client publisher pauses.
/// </summary>
internal sealed class GatewayInboundDelivery(GatewayNode gateway, AccountDirectory accounts)
{
    private readonly DeliveryContext _context = new(RemotePublisher.Instance) { FromGateway = true, PausesForRoom = true };

    /// <summary>After <see cref="Deliver"/>: the pause the last batch asks for, null when none.</summary>
    public Task? WaitForRoom() => _context.HasCrowded ? _context.WaitForRoomAsync() : null;

    public void Deliver(ReadOnlySpan<byte> body, FramedConnection connection)
    {
        if (!accounts.TryGet(AccountPrefix.Read(body, out var framesAt), out var account)) return;
        var frames = body[framesAt..];
        var offset = 0;
        while (offset < frames.Length)
        {
            var frame = MessageFrames.Read(frames, ref offset);
            connection.InMessages++;
            if (GatewayReplies.TryParse(frame.Subject, out var region, out var node, out var reply))
            {
                if (region.SequenceEqual(gateway.RegionTag)) DeliverResponse(account, node, reply, frame);
                continue;
            }
            FrameDelivery.Deliver(_context, account.Index.Match(frame.Subject), frame, SubscriberReach.Cluster);
        }
        connection.InBytes += body.Length;
        _context.FlushTouched();
    }

    /// <summary>A response for a requester in this region: delivered here if the requester's node is this one, else sent to that node.</summary>
    private void DeliverResponse(Account account, ReadOnlySpan<byte> node, ReadOnlySpan<byte> reply, MessageFrames.Frame frame)
    {
        if (node.SequenceEqual(gateway.NodeTag))
        {
            if (account.HasResponseRoutes) account.TryRouteResponse(reply, frame.Reply, frame.HeadersAndPayload, frame.HeaderSize, _context);
            _context.DeliverAll(account.Index.Match(reply), reply, frame.Reply, frame.HeadersAndPayload, frame.HeaderSize);
            return;
        }
        if (gateway.Local.PeerByTag(System.Text.Encoding.ASCII.GetString(node)) is not { } peer) return;
        var bytes = new byte[MessageFrames.SizeOf(reply.Length, frame.Reply.Length, 0, frame.HeadersAndPayload.Length)];
        MessageFrames.Write(bytes, reply, frame.Reply, default, frame.HeadersAndPayload, frame.HeaderSize);
        peer.Tell(MessageBatch.Of(account.Name, bytes), ActorRefs.NoSender);
    }
}
