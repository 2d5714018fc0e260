using Broker.Subjects;

namespace Broker.LeafNodes;

/// <summary>
/// The targets of one LMSG: every plain subscription (nats-server delivers a leaf's message to all
/// of them), and one member of each queue group the message names; a queue group it does not name
/// is served on the other side.
/// </summary>
internal readonly ref struct LeafTargets(ReadOnlySpan<byte> queues) : IDeliveryTargets
{
    private readonly ReadOnlySpan<byte> _queues = queues;

    public bool Plain => true;

    public int Deliver(DeliveryContext context, MatchResult match, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize)
    {
        context.NextMessage();
        var delivered = context.DeliverPlain(match, subject, reply, headersAndPayload, headerSize);
        var queues = _queues;
        while (!queues.IsEmpty)
        {
            var space = queues.IndexOf((byte)' ');
            var queue = space < 0 ? queues : queues[..space];
            queues = space < 0 ? default : queues[(space + 1)..];
            if (queue.IsEmpty) continue;
            var groups = match.QueueGroups;
            for (var g = 0; g < groups.Length; g++)
            {
                if (!groups[g][0].Queue.AsSpan().SequenceEqual(queue)) continue;
                if (context.DeliverToOne(match, g, SubscriberReach.Gateway, subject, reply, headersAndPayload, headerSize)) delivered++;
                break;
            }
        }
        return delivered;
    }
}
