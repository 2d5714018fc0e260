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

    /// <summary>
    /// Delivers a batch; false (nothing more of it delivered) when it is for an account unknown
    /// here, or a message's reply subject does not start with <paramref name="replyPrefix"/>, the
    /// sending region's own <c>_GR_.REGION.</c>: a region speaks for itself, so responses it
    /// provokes can only go back to it.
    /// </summary>
    public bool Deliver(ReadOnlySpan<byte> body, FramedConnection connection, ReadOnlySpan<byte> replyPrefix)
    {
        if (!accounts.TryGet(AccountPrefix.Read(body, out var framesAt), out var account)) return false;
        var frames = body[framesAt..];
        var offset = 0;
        while (offset < frames.Length)
        {
            var frame = MessageFrames.Read(frames, ref offset);
            if (!frame.Reply.IsEmpty && !frame.Reply.StartsWith(replyPrefix))
            {
                _context.FlushTouched();
                return false;
            }
            connection.InMessages++;
            if (GatewayReplies.TryParse(frame.Subject, out var region, out var node, out var reply))
            {
                if (region.SequenceEqual(gateway.RegionTag)) DeliverResponse(account, node, reply, frame);
                continue;
            }
            account.Publish(frame.Subject, frame.Reply, frame.HeadersAndPayload, frame.HeaderSize, _context, new FrameTargets(frame, SubscriberReach.Cluster));
        }
        connection.InBytes += body.Length;
        _context.FlushTouched();
        return true;
    }

    /// <summary>A response for a requester in this region: delivered here if the requester's node is this one, else batched for that node's data connection.</summary>
    private void DeliverResponse(Account account, ReadOnlySpan<byte> node, ReadOnlySpan<byte> reply, MessageFrames.Frame frame)
    {
        if (node.SequenceEqual(gateway.NodeTag))
        {
            account.Publish(reply, frame.Reply, frame.HeadersAndPayload, frame.HeaderSize, _context);
            return;
        }
        gateway.Local.ResponsesFor(node)?.Forward(account, reply, frame.Reply, frame.HeadersAndPayload, frame.HeaderSize, _context);
    }
}
