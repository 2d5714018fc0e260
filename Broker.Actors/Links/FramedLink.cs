using Broker.Subjects;

namespace Broker.Links;

/// <summary>
/// Another node's or region's interest in one local account, as a subscriber in the account's
/// index: the publish path hands it messages on the publisher's thread like any client; it
/// appends each to a batch built in place as the frame it leaves in (header space, the account's
/// name, the messages), and the publisher's end-of-batch flush (or a full batch) sends it with
/// one copy. Appends and sends happen under one lock, so batches leave in the order messages
/// arrived and each publisher's messages stay in publish order. A publisher that can pause is
/// told when the connection is crowded, and waits on it as on a crowded client subscriber: the
/// back-pressure of a slow reader on the far side reaches the publisher on this one.
/// </summary>
internal abstract class FramedLink : Subscriber
{
    /// <summary>A batch this large is sent at once rather than at the publisher's flush, bounding memory per link (and staying off the large-object heap).</summary>
    private const int SendAt = 64 * 1024;

    /// <summary>
    /// The longest one pause of a publisher on a crowded link: past it the publisher reads one more
    /// batch, then pauses again while the link is still crowded (see <see cref="FramedConnection.WaitForRoomAsync"/>).
    /// </summary>
    private static readonly TimeSpan LinkPause = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private readonly byte _frameType;
    private readonly FrameBatch _batch;
    private volatile bool _closed;

    protected FramedLink(string account, byte frameType)
    {
        Account = account;
        _frameType = frameType;
        _batch = new FrameBatch([.. new byte[LinkFrames.HeaderSize], .. AccountPrefix.For(account)]);
    }

    public string Account { get; }

    /// <summary>The node or region is gone, or the connection replaced: nothing more is sent.</summary>
    public void Close() => _closed = true;

    /// <summary>Appends one message for one target (an empty queue: plain interest), the reply subject given in two parts.</summary>
    protected void Append(
        ReadOnlySpan<byte> queue, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> replyPrefix, ReadOnlySpan<byte> reply,
        ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
    {
        if (_closed) return;
        lock (_gate)
        {
            if (_batch.Append(queue, subject, replyPrefix, reply, headersAndPayload, headerSize, context)) context.Touched(this);
            if (_batch.Length >= SendAt) SendLocked();
        }
        if (context.PausesForRoom && Connection is { IsCrowded: true }) context.Crowded(this);
    }

    /// <summary>The connection the link's frames go on now (null while there is none).</summary>
    protected abstract FramedConnection? Connection { get; }

    /// <summary>
    /// A queue message is not given to a member behind a link with no open connection (its batch
    /// would be lost): the group's next member takes it instead.
    /// </summary>
    public override bool TakesMessages => !_closed && Connection is { IsClosed: false };

    public override Task WaitForRoomAsync() => Connection is { } connection ? connection.WaitForRoomAsync(LinkPause) : Task.CompletedTask;

    public override void Flush()
    {
        lock (_gate)
        {
            if (!_batch.IsEmpty) SendLocked();
        }
    }

    /// <summary>Links have no UNSUB max: the subscribers at the other end count their own deliveries.</summary>
    public override void OnAutoUnsubscribed(Subscription subscription)
    {
    }

    /// <summary>
    /// Sends one whole frame, the first <paramref name="length"/> bytes of <paramref name="buffer"/>,
    /// holding <paramref name="messages"/> messages. The buffer is rented from
    /// <see cref="System.Buffers.ArrayPool{T}.Shared"/> and is no longer the link's: the connection
    /// returns it once written (<see cref="FramedConnection.SendPooled"/>), or the link does when there is none.
    /// </summary>
    protected abstract void Send(byte[] buffer, int length, int messages, long payloadBytes);

    private void SendLocked()
    {
        // Inside the lock: two flushers must not overtake each other's batches.
        var bytes = _batch.Bytes;
        LinkFrames.WriteHeader(bytes, _frameType, bytes.Length - LinkFrames.HeaderSize);
        var (length, messages, payloadBytes) = (_batch.Length, _batch.Messages, _batch.PayloadBytes);
        Send(_batch.Detach(keepUpTo: 4 * SendAt), length, messages, payloadBytes);
    }
}
