using Broker.Subjects;

namespace Broker.Links;

/// <summary>
/// Delivers one message that arrived from another node or region to its targets here: every
/// plain subscription when it is for plain interest, and one member within
/// <paramref name="farthest"/> of each queue group it names.
/// </summary>
internal static class FrameDelivery
{
    public static void Deliver(DeliveryContext context, MatchResult match, MessageFrames.Frame frame, SubscriberReach farthest)
    {
        context.NextMessage();
        if (frame.Plain) context.DeliverPlain(match, frame.Subject, frame.Reply, frame.HeadersAndPayload, frame.HeaderSize);
        var queues = frame.Queues;
        var at = 0;
        for (var q = 0; q < frame.QueueCount; q++)
        {
            var queue = MessageFrames.NextQueue(queues, ref at);
            var groups = match.QueueGroups;
            for (var g = 0; g < groups.Length; g++)
            {
                if (!groups[g][0].Queue.AsSpan().SequenceEqual(queue)) continue;
                context.DeliverToOne(match, g, farthest, frame.Subject, frame.Reply, frame.HeadersAndPayload, frame.HeaderSize);
                break;
            }
        }
    }
}
