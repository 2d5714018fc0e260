namespace Broker.Subjects;

/// <summary>
/// One publisher's delivery state for its current read batch: who published (for echo and
/// no-responders) and which subscribers got output and need one flush at the batch's end.
/// Reused for every message; import forwarders deliver through the same context, so messages
/// crossing accounts are flushed with the rest.
/// </summary>
public sealed class DeliveryContext(Subscriber publisher)
{
    private static long _contexts;

    private readonly List<Subscriber> _touched = new();
    private readonly List<Subscriber> _crowded = new();
    private long _messages;

    public Subscriber Publisher { get; } = publisher;

    /// <summary>False when the publisher asked not to receive its own messages (CONNECT echo=false).</summary>
    public bool Echo { get; set; } = true;

    /// <summary>
    /// True for messages that came from another node of the cluster: they go to local subscribers
    /// only, never on to a third node (node links skip them).
    /// </summary>
    public bool FromOtherNode { get; init; }

    /// <summary>
    /// True for messages that came from another region through a gateway: they go to this
    /// region's subscribers (here and on the other nodes), never to another region.
    /// </summary>
    public bool FromGateway { get; init; }

    /// <summary>
    /// True for a message that started on this node (a client, the system account); false for one
    /// a link brought, which is never sent on to another region's reply route.
    /// </summary>
    public bool IsLocalOrigin => !FromOtherNode && !FromGateway;

    /// <summary>
    /// Set while a queue message from another node, which no member here could take (all closing
    /// or gone), is handed on to a member on another node: node links take it this once, marked
    /// so that the next node does not hand it on again.
    /// </summary>
    public bool HandingOn { get; set; }

    /// <summary>Starts a new message for deliveries made without <see cref="DeliverAll"/> (see <see cref="CurrentMessage"/>).</summary>
    public void NextMessage() => CurrentMessage = ++_messages;

    /// <summary>Tells contexts apart in <see cref="CurrentMessage"/>.</summary>
    public long Id { get; } = Interlocked.Increment(ref _contexts);

    /// <summary>
    /// Numbers the message being delivered, within this context, so a subscriber that two of a
    /// match's subscriptions reach (a node link with plain and queue interest) can tell it is the
    /// same message. Messages an import delivers inside another get their own number.
    /// </summary>
    public long CurrentMessage { get; private set; }

    public void Touched(Subscriber subscriber) => _touched.Add(subscriber);

    /// <summary>Whether some subscriber got output since the last <see cref="FlushTouched"/>.</summary>
    public bool HasTouched => _touched.Count > 0;

    /// <summary>
    /// True for a publisher that can pause its reading (a client's read loop): subscribers whose
    /// output is crowded make it wait (<see cref="WaitForRoomAsync"/>) instead of being cut off.
    /// Other contexts leave it false; their subscribers stay bounded by max_pending alone.
    /// </summary>
    public bool PausesForRoom { get; init; }

    /// <summary>Whether a subscriber reported crowded output in this batch: the publisher should pause.</summary>
    public bool HasCrowded => _crowded.Count > 0;

    /// <summary>A subscriber's output passed the crowded mark (once per crowded spell).</summary>
    public void Crowded(Subscriber subscriber)
    {
        // A link reports on every message while crowded: it is waited on once.
        if (PausesForRoom && !_crowded.Contains(subscriber)) _crowded.Add(subscriber);
    }

    /// <summary>
    /// The publisher's pause: call after <see cref="FlushTouched"/>; waits for each crowded
    /// subscriber while it drains, not for one that stopped reading.
    /// </summary>
    public async Task WaitForRoomAsync()
    {
        // The list is this context's own: one publisher thread at a time.
        for (var i = 0; i < _crowded.Count; i++) await _crowded[i].WaitForRoomAsync().ConfigureAwait(false);
        _crowded.Clear();
    }

    private const int DefaultInlineFlushes = 32;

    /// <summary>
    /// Up to this many subscribers are flushed on the delivering thread before the rest is shared
    /// out. A client's read loop keeps the default; the one thread that delivers everything another
    /// node sends takes 1, so its batches' socket writes spread over the cores.
    /// </summary>
    public int InlineFlushes { get; init; } = DefaultInlineFlushes;

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
        var outer = CurrentMessage;
        CurrentMessage = ++_messages;
        var delivered = DeliverPlain(match, subject, reply, headersAndPayload, headerSize);
        var groups = match.QueueGroups;
        for (var g = 0; g < groups.Length; g++)
        {
            if (DeliverToOne(match, g, SubscriberReach.Gateway, subject, reply, headersAndPayload, headerSize)) delivered++;
        }
        CurrentMessage = outer;
        return delivered;
    }

    /// <summary>Delivers to every plain subscription of a match; returns how many took it.</summary>
    public int DeliverPlain(
        MatchResult match, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize)
    {
        var delivered = 0;
        foreach (var subscription in match.Plain)
        {
            if (!Echo && ReferenceEquals(subscription.Owner, Publisher)) continue;
            if (DeliverTo(subscription, subject, reply, headersAndPayload, headerSize)) delivered++;
        }
        return delivered;
    }

    /// <summary>
    /// Delivers to one member of queue group <paramref name="g"/> of a match, among those within
    /// <paramref name="farthest"/>: this node's members first (a random start, then the next that
    /// accepts), then other nodes' of the region, then other regions' (DESIGN semantic 3).
    /// </summary>
    public bool DeliverToOne(
        MatchResult match, int g, SubscriberReach farthest, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize)
    {
        var group = match.QueueGroups[g];
        var from = 0;
        for (var reach = SubscriberReach.Local; reach <= farthest; reach++)
        {
            var to = match.MembersWithin(g, reach);
            if (to > from && DeliverToOne(group, from, to - from, subject, reply, headersAndPayload, headerSize)) return true;
            from = to;
        }
        return false;
    }

    private bool DeliverToOne(
        Subscription[] group, int from, int count, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize)
    {
        var start = count <= 1 ? 0 : Random.Shared.Next(count);
        for (var i = 0; i < count; i++)
        {
            var member = group[from + (start + i) % count];
            if (!Echo && ReferenceEquals(member.Owner, Publisher)) continue;
            if (!member.Owner.TakesMessages) continue;
            if (DeliverTo(member, subject, reply, headersAndPayload, headerSize)) return true;
        }
        return false;
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
