using Broker.Subjects;

namespace Broker.Links;

/// <summary>
/// The targets of one message that arrived from another node or region: every plain subscription
/// when the frame is for plain interest, and one member within <paramref name="farthest"/> of each
/// queue group it names.
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
                if (context.DeliverToOne(match, g, farthest, subject, reply, headersAndPayload, headerSize)) delivered++;
                break;
            }
        }
        return delivered;
    }
}
