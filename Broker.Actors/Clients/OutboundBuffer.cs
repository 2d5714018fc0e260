using System.Buffers.Text;
using Broker.Protocol;

namespace Broker.Clients;

/// <summary>
/// A connection's pending output. Publishers on any thread append whole frames under a short lock;
/// the connection's writer takes everything appended so far in one swap and writes it with one
/// send. Pending bytes are bounded by max_pending: past that the subscriber is a slow consumer.
/// </summary>
public sealed class OutboundBuffer
{
    private const int InitialSize = 1024;
    private const int RetainLimit = 256 * 1024;

    private readonly object _gate = new();
    private readonly long _maxPending;
    private byte[] _buffer = new byte[InitialSize];
    private byte[] _spare = [];
    private int _length;
    private int _inFlight;
    private bool _flushRequested;
    private bool _sealed;

    public OutboundBuffer(long maxPending) => _maxPending = maxPending;

    public long OutMessages { get; private set; }
    public long OutBytes { get; private set; }

    /// <summary>Bytes appended and not yet written to the socket.</summary>
    public long PendingBytes
    {
        get { lock (_gate) return _length + _inFlight; }
    }

    /// <summary>Appends <c>MSG subject sid [reply] size</c> or the HMSG form, with the body.</summary>
    public AppendResult AppendMessage(
        ReadOnlySpan<byte> subject, ReadOnlySpan<byte> sid, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> body, int headerSize)
    {
        var headers = headerSize >= 0;
        // "HMSG " + subject + ' ' + sid + ' ' + [reply ' '] + [hdr ' '] + total + CRLF + body + CRLF
        var size = (headers ? 5 : 4) + subject.Length + 1 + sid.Length + 1 + (reply.IsEmpty ? 0 : reply.Length + 1)
                   + (headers ? 11 : 0) + 10 + 2 + body.Length + 2;
        lock (_gate)
        {
            if (_sealed) return AppendResult.Closed;
            if (_length + _inFlight + body.Length > _maxPending) return AppendResult.Full;
            EnsureCapacity(size);
            var span = _buffer.AsSpan(_length);
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
            _length += at;
            OutMessages++;
            OutBytes += body.Length;
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
            if (_length + _inFlight + frame.Length > _maxPending) return AppendResult.Full;
            EnsureCapacity(frame.Length);
            frame.CopyTo(_buffer.AsSpan(_length));
            _length += frame.Length;
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
        lock (_gate)
        {
            _sealed = true;
            if (discard) _length = 0;
        }
    }

    /// <summary>Writes a last frame after <see cref="Seal"/> (the -ERR that explains a close).</summary>
    public void AppendFinal(ReadOnlySpan<byte> frame)
    {
        lock (_gate)
        {
            EnsureCapacity(frame.Length);
            frame.CopyTo(_buffer.AsSpan(_length));
            _length += frame.Length;
        }
    }

    /// <summary>The writer takes everything appended so far; empty when there is nothing to write.</summary>
    public ArraySegment<byte> TakeForWrite()
    {
        lock (_gate)
        {
            if (_length == 0) return ArraySegment<byte>.Empty;
            var taken = new ArraySegment<byte>(_buffer, 0, _length);
            _inFlight = _length;
            _buffer = _spare.Length >= InitialSize ? _spare : new byte[InitialSize];
            _spare = [];
            _length = 0;
            return taken;
        }
    }

    /// <summary>The writer hands back a written segment's array for reuse.</summary>
    public void WriteCompleted(ArraySegment<byte> written)
    {
        lock (_gate)
        {
            _inFlight = 0;
            // Keep one spare array, but let a burst's very large one go.
            if (written.Array!.Length <= RetainLimit) _spare = written.Array;
        }
    }

    private AppendResult RequestFlush()
    {
        if (_flushRequested) return AppendResult.Appended;
        _flushRequested = true;
        return AppendResult.NeedsFlush;
    }

    private void EnsureCapacity(int extra)
    {
        if (_length + extra <= _buffer.Length) return;
        var size = Math.Max(_buffer.Length * 2, _length + extra);
        var grown = new byte[size];
        _buffer.AsSpan(0, _length).CopyTo(grown);
        _buffer = grown;
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
