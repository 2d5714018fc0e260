using Broker.Accounts;
using Broker.Subjects;

namespace Broker.Cluster;

/// <summary>
/// Delivers the messages other nodes send into this node's accounts, to local subscribers only: a
/// plain message to every plain subscription, a queue message to one local member of its group.
/// Used by <see cref="ClusterNodeActor"/> alone, so one context serves every batch.
/// </summary>
internal sealed class InboundDelivery(AccountDirectory accounts)
{
    private readonly DeliveryContext _context = new(RemotePublisher.Instance) { FromOtherNode = true, InlineFlushes = 1 };

    /// <summary>Delivers a batch; <paramref name="from"/>, the sender's route when known, counts it (monitoring).</summary>
    public void Deliver(MessageBatch batch, ClusterRoute? from = null)
    {
        if (!accounts.TryGet(batch.ReadAccount(out var framesAt), out var account)) return;
        var frames = batch.Wire.AsSpan(framesAt);
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
            FrameDelivery.Deliver(_context, account.Index.Match(frame.Subject), frame, SubscriberReach.Local);
        }
        _context.FlushTouched();
        from?.Received(messages, bytes);
    }
}
