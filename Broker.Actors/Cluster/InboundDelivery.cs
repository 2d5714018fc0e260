using Broker.Accounts;
using Broker.Links;
using Broker.Subjects;

namespace Broker.Cluster;

/// <summary>
/// Delivers the messages other nodes send into this node's accounts, to local subscribers only: a
/// plain message to every plain subscription, a queue message to one local member of its group.
/// One per data connection (used on its read loop), and one for <see cref="ClusterNodeActor"/>'s
/// own batches (responses a gateway forwards), so each context serves one thread at a time.
/// </summary>
internal sealed class InboundDelivery(AccountDirectory accounts)
{
    private readonly DeliveryContext _context = new(RemotePublisher.Instance) { FromOtherNode = true, InlineFlushes = 1 };

    /// <summary>Delivers a batch; <paramref name="from"/>, the sender's route when known, counts it (monitoring).</summary>
    public void Deliver(ReadOnlySpan<byte> wire, ClusterRoute? from = null)
    {
        if (!accounts.TryGet(AccountPrefix.Read(wire, out var framesAt), out var account)) return;
        var frames = wire[framesAt..];
        var offset = 0;
        var messages = 0;
        long bytes = 0;
        while (offset < frames.Length)
        {
            var frame = MessageFrames.Read(frames, ref offset);
            messages++;
            bytes += frame.HeadersAndPayload.Length;
            // A response to a request that reached the account here through a service import goes back to its importer.
            if (frame.Plain && account.HasResponseRoutes) account.TryRouteResponse(frame.Subject, frame.Reply, frame.HeadersAndPayload, frame.HeaderSize, _context);
            FrameDelivery.Deliver(_context, account.Index.Match(frame.Subject), frame, SubscriberReach.Leaf);
        }
        _context.FlushTouched();
        from?.Received(messages, bytes);
    }
}
