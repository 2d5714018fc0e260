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
    private readonly DeliveryContext _context = new(OtherNodes.Instance) { FromOtherNode = true };

    /// <summary>Delivers a batch; <paramref name="from"/>, the sender's route when known, counts it (monitoring).</summary>
    public void Deliver(MessageBatch batch, ClusterRoute? from = null)
    {
        if (!accounts.TryGet(batch.Account, out var account)) return;
        ReadOnlySpan<byte> frames = batch.Frames;
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
            var match = account.Index.Match(frame.Subject);
            if (frame.Plain) _context.DeliverPlain(match, frame.Subject, frame.Reply, frame.HeadersAndPayload, frame.HeaderSize);
            var queues = frame.Queues;
            var at = 0;
            for (var q = 0; q < frame.QueueCount; q++)
            {
                var queue = MessageFrames.NextQueue(queues, ref at);
                var groups = match.QueueGroups;
                for (var g = 0; g < groups.Length; g++)
                {
                    if (!groups[g][0].Queue.AsSpan().SequenceEqual(queue)) continue;
                    _context.DeliverToOne(match, g, SubscriberReach.Local, frame.Subject, frame.Reply, frame.HeadersAndPayload, frame.HeaderSize);
                    break;
                }
            }
        }
        _context.FlushTouched();
        from?.Received(messages, bytes);
    }

    /// <summary>The publisher of inbound messages: it holds no subscriptions and receives nothing.</summary>
    private sealed class OtherNodes : Subscriber
    {
        public static readonly OtherNodes Instance = new();

        public override void Deliver(Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
        {
        }

        public override void Flush()
        {
        }

        public override void OnAutoUnsubscribed(Subscription subscription)
        {
        }
    }
}
