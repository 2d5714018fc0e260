using Broker.Subjects;

namespace Broker.LeafNodes;

/// <summary>
/// What a leaf connection has to send, filled by publishers' threads and taken by its writer. A
/// message that reaches the connection through several of its subscriptions (plain interest and
/// queue groups, overlapping wildcards) leaves as one LMSG naming every queue group it is for, as
/// nats-server sends it: the frame just written is widened in place. Thread-safe.
/// </summary>
internal sealed class LeafOutbound(long maxPending)
{
    private readonly object _gate = new();
    private byte[] _buffer = new byte[16 * 1024];
    private byte[] _spare = new byte[16 * 1024];
    private int _length;

    // The last message written, so the same message's next target joins its frame.
    private long _lastContext;
    private long _lastMessage;
    private int _lastStart = -1;
    private int _lastPayloadStart;
    private int _lastEnd = -1;
    private int _lastSubjectLength;
    private int _lastReplyLength;
    private int _lastHeaderSize;
    private int _lastTotal;
    // The queue groups the last frame names; one list, refilled per frame, so framing allocates nothing per message.
    private readonly List<byte[]> _lastQueues = new(4);
    private bool _sealed;

    /// <summary>
    /// Publishers pause past this much unsent output (8 MB, as for a cluster link: enough to keep
    /// the socket busy between their reads), or half of max_pending when that is less, so a
    /// link is paused for long before it would be cut.
    /// </summary>
    private readonly long _crowdedAt = Math.Min(8L * 1024 * 1024, maxPending / 2);

    /// <summary>Whether publishers should pause for this link; read without the lock, once per message.</summary>
    public bool IsCrowded => Volatile.Read(ref _length) > _crowdedAt;

    /// <summary>Paused publishers go on once the unsent output fell to half the crowded mark: not on every write.</summary>
    public bool HasRoom => Pending <= _crowdedAt / 2;

    public long OutMessages { get; private set; }
    public long OutBytes { get; private set; }

    public int Pending
    {
        get { lock (_gate) return _length; }
    }

    /// <summary>Appends a protocol frame; false when the connection has too much unsent (a slow consumer).</summary>
    public bool AppendProtocol(ReadOnlySpan<byte> frame, out bool wasEmpty)
    {
        lock (_gate)
        {
            wasEmpty = _length == 0;
            if (_sealed) return true;
            if (_length + frame.Length > maxPending) return false;
            Ensure(frame.Length);
            frame.CopyTo(_buffer.AsSpan(_length));
            _length += frame.Length;
            _lastEnd = -1;
            return true;
        }
    }

    /// <summary>
    /// Appends a message for one subscription (<paramref name="queue"/> null: plain interest), or
    /// adds its queue to the same message's frame. False when over max pending.
    /// </summary>
    public bool AppendMessage(
        byte[]? queue, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize,
        DeliveryContext context, out bool wasEmpty)
    {
        lock (_gate)
        {
            wasEmpty = _length == 0;
            if (_sealed) return true;
            if (_lastEnd == _length && _lastContext == context.Id && _lastMessage == context.CurrentMessage)
            {
                // Plain interest is served by any frame of the message: the receiver delivers to its plain subscribers either way.
                if (queue is null || Names(_lastQueues, queue)) return true;
                Widen(queue);
                return true;
            }
            if (_length > maxPending) return false;
            _lastQueues.Clear();
            if (queue is not null) _lastQueues.Add(queue);
            Ensure(LeafFrames.HeaderLength(subject.Length, reply.Length, queue?.Length ?? 0) + headersAndPayload.Length + 2);
            _lastStart = _length;
            var written = LeafFrames.WriteHeader(_buffer.AsSpan(_length), subject, reply, _lastQueues, headerSize, headersAndPayload.Length);
            _length += written;
            _lastPayloadStart = _length;
            headersAndPayload.CopyTo(_buffer.AsSpan(_length));
            _length += headersAndPayload.Length;
            _buffer[_length++] = (byte)'\r';
            _buffer[_length++] = (byte)'\n';
            _lastEnd = _length;
            _lastContext = context.Id;
            _lastMessage = context.CurrentMessage;
            _lastSubjectLength = subject.Length;
            _lastReplyLength = reply.Length;
            _lastHeaderSize = headerSize;
            _lastTotal = headersAndPayload.Length;
            OutMessages++;
            OutBytes += headersAndPayload.Length;
            return true;
        }
    }

    /// <summary>Whether <paramref name="queues"/> holds <paramref name="queue"/>: a loop, as a lambda capturing the queue would allocate on every call.</summary>
    private static bool Names(List<byte[]> queues, byte[] queue)
    {
        foreach (var q in queues)
        {
            if (q.AsSpan().SequenceEqual(queue)) return true;
        }
        return false;
    }

    /// <summary>Rewrites the last frame's header line with one more queue group, moving its payload behind it.</summary>
    private void Widen(byte[] queue)
    {
        var subject = _buffer.AsSpan(_lastStart + 5, _lastSubjectLength).ToArray();
        var reply = ReplyOfLast();
        _lastQueues.Add(queue);
        var header = new byte[LeafFrames.HeaderLength(subject.Length, reply.Length, _lastQueues.Sum(q => q.Length + 1))];
        var headerLength = LeafFrames.WriteHeader(header, subject, reply, _lastQueues, _lastHeaderSize, _lastTotal);
        var body = _lastEnd - _lastPayloadStart;
        var grow = _lastStart + headerLength + body - _length;
        if (grow > 0) Ensure(grow);
        Array.Copy(_buffer, _lastPayloadStart, _buffer, _lastStart + headerLength, body);
        header.AsSpan(0, headerLength).CopyTo(_buffer.AsSpan(_lastStart));
        _lastPayloadStart = _lastStart + headerLength;
        _length = _lastEnd = _lastPayloadStart + body;
    }

    /// <summary>The reply subject of the last frame: after the subject, or after " + " once queues were added.</summary>
    private byte[] ReplyOfLast()
    {
        if (_lastReplyLength == 0) return [];
        var afterSubject = _lastStart + 5 + _lastSubjectLength + 1;
        if (_lastQueues.Count > 0) afterSubject += 2;
        return _buffer.AsSpan(afterSubject, _lastReplyLength).ToArray();
    }

    /// <summary>Takes everything queued for one write; the returned buffer is the caller's until the next call.</summary>
    public ArraySegment<byte> Take()
    {
        lock (_gate)
        {
            if (_length == 0) return default;
            var taken = new ArraySegment<byte>(_buffer, 0, _length);
            (_buffer, _spare) = (_spare, _buffer);
            _length = 0;
            _lastEnd = -1;
            return taken;
        }
    }

    /// <summary>Nothing more is queued after <paramref name="final"/> (an -ERR, say).</summary>
    public void Seal(ReadOnlySpan<byte> final)
    {
        lock (_gate)
        {
            if (_sealed) return;
            Ensure(final.Length);
            final.CopyTo(_buffer.AsSpan(_length));
            _length += final.Length;
            _sealed = true;
        }
    }

    private void Ensure(int more)
    {
        if (_length + more <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
    }
}
