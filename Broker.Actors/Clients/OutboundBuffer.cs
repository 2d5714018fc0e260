using System.Buffers;
using System.Buffers.Text;
using Broker.Protocol;

namespace Broker.Clients;

/// <summary>
/// A connection's pending output as a chain of pooled segments. Publishers on any thread append
/// whole frames under a short lock; the connection's writer takes every filled segment at once
/// and sends them. Segments never move or grow by copying, so a burst costs no large-object churn;
/// their size adapts per connection (small for a quiet subscriber, up to 256 KB for a busy one), as
/// nats-server's per-client buffers do (it stops at 64 KB: larger segments halve the sends a
/// backlogged subscriber costs). Pending bytes are bounded by max_pending: past that the subscriber
/// is a slow consumer. Past <see cref="CrowdedShare"/> of it, or past <see cref="CrowdedCeiling"/>,
/// the buffer is crowded: a publisher pauses (<see cref="WaitForRoomAsync"/>) while the writer
/// still makes progress, so a subscriber that drains slowly is slowed down to, not cut off.
/// </summary>
public sealed class OutboundBuffer
{
    private const int MinSegment = 1024;
    private const int MaxSegment = 256 * 1024;

    /// <summary>The largest segment a connection keeps between writes (see <see cref="WriteCompleted"/>).</summary>
    private const int KeptSegmentLimit = 4096;

    /// <summary>Returned by <see cref="TakeForWrite"/> when nothing is queued; never written to.</summary>
    private static readonly List<ArraySegment<byte>> NothingToWrite = new(0);

    /// <summary>Past this share of max_pending publishers pause (nats-server stalls producers at 75%).</summary>
    private const int CrowdedShare = 75;

    /// <summary>Paused publishers resume once pending fell to two thirds of the crowded mark (this share of max_pending, below the ceiling): not on every segment written.</summary>
    private const int ResumeShare = 50;

    /// <summary>
    /// Publishers pause at this much pending at most, however large max_pending is. Queuing more
    /// for a subscriber that is slower than its publishers speeds nothing up and costs memory and
    /// collections: with the default 64 MB max_pending four 1 KB firehoses held 660-1,250 MB and ran
    /// at 1.2-1.4 M msgs/s; pausing from 4 MB held 110 MB and ran at 1.6-2.0 M (2026-12-06).
    /// </summary>
    private const long CrowdedCeiling = 4L * 1024 * 1024;

    private readonly object _gate = new();
    private readonly long _maxPending;
    private readonly long _crowdedAt;
    private readonly long _resumeAt;
    private TaskCompletionSource? _roomWaiter;
    private long _lastProgressTicks = Environment.TickCount64;
    private bool _crowdReported;
    private List<ArraySegment<byte>> _filled = new();
    private List<ArraySegment<byte>> _spareList = new();
    private byte[]? _tail;
    private byte[]? _kept;
    private int _tailLength;
    private int _segmentSize = MinSegment;
    private long _queued;
    private long _inFlight;
    private bool _flushRequested;
    private bool _sealed;

    public OutboundBuffer(long maxPending)
    {
        _maxPending = maxPending;
        _crowdedAt = Math.Min(maxPending / 100 * CrowdedShare, CrowdedCeiling);
        _resumeAt = _crowdedAt / CrowdedShare * ResumeShare;
    }

    public long OutMessages { get; private set; }
    public long OutBytes { get; private set; }

    /// <summary>Bytes appended and not yet written to the socket.</summary>
    public long PendingBytes
    {
        get { lock (_gate) return _queued + _inFlight; }
    }

    /// <summary>Whether anything is appended and not yet taken by the writer.</summary>
    public bool HasQueued
    {
        get { lock (_gate) return _queued > 0; }
    }

    /// <summary>Appends <c>MSG subject sid [reply] size</c> or the HMSG form, with the body.</summary>
    public AppendResult AppendMessage(
        ReadOnlySpan<byte> subject, ReadOnlySpan<byte> sid, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> body, int headerSize) =>
        AppendMessage(subject, sid, reply, body, headerSize, out _);

    /// <summary>Appends <c>MSG subject sid [reply] size</c> or the HMSG form, with the body.</summary>
    /// <remarks><paramref name="crowded"/> is set once per crowded spell, for the publisher to pause on.</remarks>
    public AppendResult AppendMessage(
        ReadOnlySpan<byte> subject, ReadOnlySpan<byte> sid, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> body, int headerSize,
        out bool crowded)
    {
        crowded = false;
        var headers = headerSize >= 0;
        // "HMSG " + subject + ' ' + sid + ' ' + [reply ' '] + [hdr ' '] + total + CRLF + body + CRLF
        var size = (headers ? 5 : 4) + subject.Length + 1 + sid.Length + 1 + (reply.IsEmpty ? 0 : reply.Length + 1)
                   + (headers ? 11 : 0) + 10 + 2 + body.Length + 2;
        lock (_gate)
        {
            if (_sealed) return AppendResult.Closed;
            if (_queued + _inFlight + body.Length > _maxPending) return AppendResult.Full;
            var span = Reserve(size);
            var at = 0;
            (headers ? ProtocolBytes.HMsg : ProtocolBytes.Msg).CopyTo(span);
            at += headers ? 5 : 4;
            subject.CopyTo(span[at..]);
            at += subject.Length;
            span[at++] = (byte)' ';
            sid.CopyTo(span[at..]);
            at += sid.Length;
            span[at++] = (byte)' ';
            if (!reply.IsEmpty)
            {
                reply.CopyTo(span[at..]);
                at += reply.Length;
                span[at++] = (byte)' ';
            }
            if (headers)
            {
                Utf8Formatter.TryFormat(headerSize, span[at..], out var w);
                at += w;
                span[at++] = (byte)' ';
            }
            Utf8Formatter.TryFormat(body.Length, span[at..], out var written);
            at += written;
            span[at++] = (byte)'\r';
            span[at++] = (byte)'\n';
            body.CopyTo(span[at..]);
            at += body.Length;
            span[at++] = (byte)'\r';
            span[at++] = (byte)'\n';
            Commit(at);
            OutMessages++;
            OutBytes += body.Length;
            if (_queued + _inFlight > _crowdedAt && !_crowdReported)
            {
                _crowdReported = true;
                crowded = true;
            }
            return RequestFlush();
        }
    }

    /// <summary>Appends a protocol frame of the server's own (PONG, +OK, -ERR, INFO, PING).</summary>
    public AppendResult AppendProtocol(ReadOnlySpan<byte> frame)
    {
        lock (_gate)
        {
            if (_sealed) return AppendResult.Closed;
            // A client that never reads its PONGs and +OKs is as slow a consumer as any.
            if (_queued + _inFlight + frame.Length > _maxPending) return AppendResult.Full;
            frame.CopyTo(Reserve(frame.Length));
            Commit(frame.Length);
            return RequestFlush();
        }
    }

    /// <summary>Marks the end of a publisher's batch for this buffer: the next append asks for a flush again.</summary>
    public void FlushRequested()
    {
        lock (_gate) _flushRequested = false;
    }

    /// <summary>Refuses further appends. With <paramref name="discard"/>, unwritten output is dropped.</summary>
    public void Seal(bool discard)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _sealed = true;
            waiter = _roomWaiter;
            _roomWaiter = null;
        }
        // Nobody waits on a closing connection.
        waiter?.TrySetResult();
        lock (_gate)
        {
            if (!discard) return;
            foreach (var segment in _filled) ArrayPool<byte>.Shared.Return(segment.Array!);
            _filled.Clear();
            _tailLength = 0;
            _queued = 0;
        }
    }

    /// <summary>Writes a last frame after <see cref="Seal"/> (the -ERR that explains a close).</summary>
    public void AppendFinal(ReadOnlySpan<byte> frame)
    {
        lock (_gate)
        {
            frame.CopyTo(Reserve(frame.Length));
            Commit(frame.Length);
        }
    }

    /// <summary>
    /// The writer takes everything appended so far, in order; empty when there is nothing to write.
    /// A non-empty list stays the writer's until it hands it back with <see cref="WriteCompleted"/>.
    /// </summary>
    public List<ArraySegment<byte>> TakeForWrite()
    {
        lock (_gate)
        {
            if (_tail is not null && _tailLength > 0)
            {
                _filled.Add(new ArraySegment<byte>(_tail, 0, _tailLength));
                // A mostly empty tail says the next segments can be smaller. (They grow only when a batch
                // overflows one, in Reserve: one large message per write must not ratchet the size up.)
                if (_tailLength < _tail.Length / 4) _segmentSize = Math.Max(_segmentSize / 2, MinSegment);
                _tail = null;
                _tailLength = 0;
            }
            if (_filled.Count == 0) return NothingToWrite;
            var taken = _filled;
            _filled = _spareList;
            _spareList = null!;
            _inFlight = _queued;
            _queued = 0;
            // The clock for "is this subscriber making progress" starts with each write.
            _lastProgressTicks = Environment.TickCount64;
            return taken;
        }
    }

    /// <summary>
    /// The writer reports bytes the socket took, as they go: pending falls with them, not only
    /// when a whole write completes, and a publisher paused on this buffer resumes once there is room.
    /// </summary>
    public void Written(int bytes)
    {
        TaskCompletionSource? waiter = null;
        lock (_gate)
        {
            _inFlight -= bytes;
            _lastProgressTicks = Environment.TickCount64;
            if (_queued + _inFlight <= _resumeAt)
            {
                _crowdReported = false;
                waiter = _roomWaiter;
                _roomWaiter = null;
            }
        }
        waiter?.TrySetResult();
    }

    /// <summary>
    /// A publisher's pause for this crowded buffer: returns once pending fell to the resume mark, the
    /// buffer is sealed, or the writer has made no progress for <paramref name="grace"/> (a stuck
    /// subscriber is not waited on; it runs into max_pending or write_deadline and is cut off).
    /// Returns false when it stopped waiting because the subscriber is stuck.
    /// </summary>
    public async Task<bool> WaitForRoomAsync(TimeSpan grace)
    {
        var graceMs = (long)grace.TotalMilliseconds;
        var started = Environment.TickCount64;
        while (true)
        {
            TaskCompletionSource waiter;
            long waitMs;
            lock (_gate)
            {
                if (_sealed || _queued + _inFlight <= _resumeAt)
                {
                    _crowdReported = false;
                    return true;
                }
                // Only a write the socket does not take counts against the subscriber: output its writer
                // has not taken yet (a flush still queued on a busy thread pool) says nothing about it.
                // A few graces in all bound the wait even so.
                var idle = _inFlight > 0 ? Environment.TickCount64 - _lastProgressTicks : 0;
                if (idle >= graceMs || Environment.TickCount64 - started >= 4 * graceMs)
                {
                    _crowdReported = false;
                    return false;
                }
                waitMs = Math.Min(graceMs - idle, 4 * graceMs - (Environment.TickCount64 - started));
                waiter = _roomWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            await waiter.Task.WaitAsync(TimeSpan.FromMilliseconds(waitMs)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// The writer hands back what it took: the segments go back to the pool, except one small
    /// one the connection keeps, so a subscriber that gets a message now and then (a broadcast to
    /// thousands) reuses its own buffer instead of allocating one per message.
    /// </summary>
    public void WriteCompleted(List<ArraySegment<byte>> written)
    {
        byte[]? keep = null;
        foreach (var segment in written)
        {
            if (keep is null && segment.Array!.Length <= KeptSegmentLimit) keep = segment.Array;
            else ArrayPool<byte>.Shared.Return(segment.Array!);
        }
        written.Clear();
        lock (_gate)
        {
            // Normally already zero through Written; a failed write leaves nothing in flight either.
            _inFlight = 0;
            _spareList = written;
            if (keep is not null && _kept is null)
            {
                _kept = keep;
                keep = null;
            }
        }
        if (keep is not null) ArrayPool<byte>.Shared.Return(keep);
    }

    private AppendResult RequestFlush()
    {
        if (_flushRequested) return AppendResult.Appended;
        _flushRequested = true;
        return AppendResult.NeedsFlush;
    }

    /// <summary>Room for <paramref name="size"/> bytes at the end of the tail segment, starting a new one if needed.</summary>
    private Span<byte> Reserve(int size)
    {
        if (_tail is not null && _tail.Length - _tailLength >= size) return _tail.AsSpan(_tailLength);
        if (_tail is not null)
        {
            if (_tailLength > 0)
            {
                _filled.Add(new ArraySegment<byte>(_tail, 0, _tailLength));
                // Filling segments within one batch: the connection is busy, so grow the next one.
                _segmentSize = Math.Min(_segmentSize * 2, MaxSegment);
            }
            else
            {
                ArrayPool<byte>.Shared.Return(_tail);
            }
        }
        var wanted = Math.Max(size, _segmentSize);
        if (_kept is { } kept && kept.Length >= wanted)
        {
            _tail = kept;
            _kept = null;
        }
        else
        {
            _tail = ArrayPool<byte>.Shared.Rent(wanted);
        }
        _tailLength = 0;
        return _tail.AsSpan();
    }

    private void Commit(int length)
    {
        _tailLength += length;
        _queued += length;
    }
}

public enum AppendResult : byte
{
    /// <summary>Appended; a flush is already requested for this batch.</summary>
    Appended,

    /// <summary>Appended, and the caller must call Flush at the end of its batch.</summary>
    NeedsFlush,

    /// <summary>Refused: max_pending would be exceeded (slow consumer).</summary>
    Full,

    /// <summary>Refused: the connection is closing.</summary>
    Closed,
}
