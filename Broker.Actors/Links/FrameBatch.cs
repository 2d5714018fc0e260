using System.Buffers;
using Broker.Subjects;

namespace Broker.Links;

/// <summary>
/// A batch of <see cref="MessageFrames"/> a link is filling for its next send, after a fixed
/// prefix (a gateway frame's header and account; nothing for a node link). A message that
/// reaches the link through several subscriptions (plain and queue interest, overlapping
/// wildcards) gets one frame with each of them as a target, so it crosses once. Its buffer is
/// rented from <see cref="ArrayPool{T}.Shared"/> and handed whole to the connection that sends it
/// (<see cref="Detach"/>), which returns it once written: a busy link neither copies nor allocates
/// its batches. Not thread-safe: its link appends and sends under its own lock.
/// </summary>
internal sealed class FrameBatch
{
    private readonly byte[] _prefix;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
    private int _length;
    // The last frame written, so the same message's next target joins it.
    private MessageFrames.Targets _lastTargets;
    private int _lastEnd = -1;
    private long _lastContext;
    private long _lastMessage;

    public FrameBatch(byte[]? prefix = null)
    {
        _prefix = prefix ?? [];
        Restart();
    }

    /// <summary>The bytes so far, prefix included.</summary>
    public Span<byte> Bytes => _buffer.AsSpan(0, _length);

    public bool IsEmpty => _length == _prefix.Length;

    public int Length => _length;

    /// <summary>Messages (not targets) in the batch, and their header and payload bytes.</summary>
    public int Messages { get; private set; }
    public long PayloadBytes { get; private set; }

    /// <summary>
    /// Appends a message for one target (an empty queue: plain interest), or adds the target to
    /// the message's frame when the same message was the last appended. Returns true when the
    /// batch was empty before (the link then asks the publisher for a flush).
    /// </summary>
    public bool Append(
        ReadOnlySpan<byte> queue, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> replyPrefix, ReadOnlySpan<byte> reply,
        ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
    {
        if (_lastEnd == _length && _lastContext == context.Id && _lastMessage == context.CurrentMessage)
        {
            Reserve(MessageFrames.SizeOfTarget(queue.Length));
            if (MessageFrames.AddTarget(_buffer, _lastTargets, _length, queue, out var appended))
            {
                _length += appended;
                _lastEnd = _length;
                return false;
            }
        }
        var wasEmpty = IsEmpty;
        if (reply.IsEmpty) replyPrefix = default;
        var size = MessageFrames.SizeOf(subject.Length, replyPrefix.Length + reply.Length, queue.Length, headersAndPayload.Length);
        Reserve(size);
        var start = _length;
        var targets = MessageFrames.Write(_buffer.AsSpan(start), subject, replyPrefix, reply, queue, headersAndPayload, headerSize);
        _length += size;
        if (context.HandingOn) MessageFrames.MarkHandedOn(_buffer, start + targets.PlainAt);
        _lastTargets = new MessageFrames.Targets(start + targets.PlainAt, start + targets.QueueCountAt);
        _lastEnd = _length;
        _lastContext = context.Id;
        _lastMessage = context.CurrentMessage;
        Messages++;
        PayloadBytes += headersAndPayload.Length;
        return wasEmpty;
    }

    /// <summary>
    /// Hands the batch over: the returned buffer (from <see cref="ArrayPool{T}.Shared"/>, the batch
    /// in its first <see cref="Length"/> bytes as read before this call) is the caller's to return, and the next batch
    /// starts in a fresh one as large as this (up to <paramref name="keepUpTo"/>), so a steady
    /// stream does not grow its buffer again for every batch.
    /// </summary>
    public byte[] Detach(int keepUpTo)
    {
        var full = _buffer;
        _buffer = ArrayPool<byte>.Shared.Rent(full.Length > keepUpTo ? 4096 : full.Length);
        Restart();
        return full;
    }

    private void Restart()
    {
        _prefix.CopyTo(_buffer, 0);
        _length = _prefix.Length;
        _lastEnd = -1;
        Messages = 0;
        PayloadBytes = 0;
    }

    private void Reserve(int size)
    {
        if (_length + size <= _buffer.Length) return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + size));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
