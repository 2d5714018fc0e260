using Broker.Subjects;

namespace Broker.Links;

/// <summary>
/// The targets of one message that arrived from another node or region: every plain subscription
/// when the frame is for plain interest, and one member within <paramref name="farthest"/> of each
/// queue group it names. A queue message that none of those members can take (closing, as in lame
/// duck mode, or gone) goes to a member on another node, as nats-server hands a routed queue
/// message on to a route's member when its local ones fail; once only (<see cref="MessageFrames.MarkHandedOn"/>).
/// </summary>
internal readonly ref struct FrameTargets(MessageFrames.Frame frame, SubscriberReach farthest) : IDeliveryTargets
{
    private readonly MessageFrames.Frame _frame = frame;

    public bool Plain => _frame.Plain;

    public int Deliver(DeliveryContext context, MatchResult match, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize)
    {
        context.NextMessage();
        var delivered = _frame.Plain ? context.DeliverPlain(match, subject, reply, headersAndPayload, headerSize) : 0;
        var queues = _frame.Queues;
        var at = 0;
        for (var q = 0; q < _frame.QueueCount; q++)
        {
            var queue = MessageFrames.NextQueue(queues, ref at);
            var groups = match.QueueGroups;
            for (var g = 0; g < groups.Length; g++)
            {
                if (!groups[g][0].Queue.AsSpan().SequenceEqual(queue)) continue;
                if (context.DeliverToOne(match, g, farthest, subject, reply, headersAndPayload, headerSize)
                    || HandOn(context, match, g, subject, reply, headersAndPayload, headerSize)) delivered++;
                break;
            }
        }
        return delivered;
    }

    private bool HandOn(DeliveryContext context, MatchResult match, int g, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize)
    {
        if (_frame.HandedOn || !context.FromOtherNode || farthest >= SubscriberReach.Cluster) return false;
        context.HandingOn = true;
        try
        {
            return context.DeliverToOne(match, g, SubscriberReach.Cluster, subject, reply, headersAndPayload, headerSize);
        }
        finally
        {
            context.HandingOn = false;
        }
    }
}
