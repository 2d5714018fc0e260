namespace Broker.Subjects;

/// <summary>
/// One publisher's delivery state for its current read batch: who published (for echo and
/// no-responders) and which subscribers got output and need one flush at the batch's end.
/// Reused for every message; import forwarders deliver through the same context, so messages
/// crossing accounts are flushed with the rest.
/// </summary>
public sealed class DeliveryContext(Subscriber publisher)
{
    private readonly List<Subscriber> _touched = new();

    public Subscriber Publisher { get; } = publisher;

    /// <summary>False when the publisher asked not to receive its own messages (CONNECT echo=false).</summary>
    public bool Echo { get; set; } = true;

    public void Touched(Subscriber subscriber) => _touched.Add(subscriber);

    /// <summary>Up to this many subscribers are flushed on the publisher's own thread before the rest is shared out.</summary>
    private const int InlineFlushes = 32;

    /// <summary>
    /// Flushes every subscriber touched since the last call, once each. A broadcast to thousands
    /// would serialize their socket writes on this one thread, so past <see cref="InlineFlushes"/>
    /// the writes are split: this thread keeps its share (one per core) and hands the rest to the
    /// thread pool in chunks, so every core writes.
    /// </summary>
    public void FlushTouched()
    {
        var touched = _touched;
        var count = touched.Count;
        if (count > InlineFlushes)
        {
            var own = Math.Max(InlineFlushes, count / Environment.ProcessorCount);
            var chunkSize = Math.Max(InlineFlushes, (count - own) / (4 * Environment.ProcessorCount));
            for (var start = own; start < count; start += chunkSize)
            {
                var chunk = touched.GetRange(start, Math.Min(chunkSize, count - start)).ToArray();
                ThreadPool.UnsafeQueueUserWorkItem(static c => { foreach (var subscriber in c) subscriber.Flush(); }, chunk, preferLocal: false);
            }
            count = own;
        }
        for (var i = 0; i < count; i++) touched[i].Flush();
        touched.Clear();
    }

    /// <summary>
    /// Delivers one message to a match: every plain subscription, and one member of each queue
    /// group. Returns how many subscriptions took it.
    /// </summary>
    public int DeliverAll(
        MatchResult match, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize)
    {
        var delivered = 0;
        foreach (var subscription in match.Plain)
        {
            if (!Echo && ReferenceEquals(subscription.Owner, Publisher)) continue;
            if (DeliverTo(subscription, subject, reply, headersAndPayload, headerSize)) delivered++;
        }
        foreach (var group in match.QueueGroups)
        {
            // One member of the group: a random start, then the next that accepts.
            var start = group.Length == 1 ? 0 : Random.Shared.Next(group.Length);
            for (var i = 0; i < group.Length; i++)
            {
                var member = group[(start + i) % group.Length];
                if (!Echo && ReferenceEquals(member.Owner, Publisher)) continue;
                if (DeliverTo(member, subject, reply, headersAndPayload, headerSize))
                {
                    delivered++;
                    break;
                }
            }
        }
        return delivered;
    }

    private bool DeliverTo(Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize)
    {
        var claim = subscription.TryClaimDelivery();
        if (claim == DeliveryClaim.Refused) return false;
        var owner = subscription.Owner;
        owner.Deliver(subscription, subject, reply, headersAndPayload, headerSize, this);
        if (claim == DeliveryClaim.GrantedLast) owner.OnAutoUnsubscribed(subscription);
        return true;
    }
}
