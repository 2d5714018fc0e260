using System.Buffers.Binary;

namespace Broker.Links;

/// <summary>
/// The wire form of messages in a link's batch (<see cref="FrameBatch"/>): per message, subject and reply
/// (each a 16-bit length then bytes), the header size and the length of headers and payload
/// (32-bit), those bytes, then who it is for on the receiving node: a flags byte (1: plain
/// interest; 2: a queue message another node handed on, see <see cref="MarkHandedOn"/>) and the
/// queue groups (a count byte, then each a 16-bit length and its name). One message crosses
/// once per node however many of that node's interests it matches (as nats-server's RMSG with
/// its queue list); the targets sit at the end so a later match can be added to the frame in place.
/// </summary>
public static class MessageFrames
{
    private const int FixedSize = 2 + 2 + 4 + 4 + 1 + 1;

    /// <summary>The size of a frame for one target (plain: an empty queue).</summary>
    public static int SizeOf(int subject, int reply, int queue, int body) => FixedSize + subject + reply + body + (queue == 0 ? 0 : 2 + queue);

    /// <summary>Where in a frame its targets are, so <see cref="AddTarget"/> can extend them.</summary>
    public readonly record struct Targets(int PlainAt, int QueueCountAt);

    /// <summary>
    /// Writes one message for one target (an empty queue means plain interest) at the start of
    /// <paramref name="target"/>, which holds at least <see cref="SizeOf"/> bytes.
    /// </summary>
    public static Targets Write(
        Span<byte> target, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> queue, ReadOnlySpan<byte> headersAndPayload, int headerSize) =>
        Write(target, subject, default, reply, queue, headersAndPayload, headerSize);

    /// <summary>As above, with the reply subject given in two parts (a gateway's <c>_GR_.</c> prefix, then the reply).</summary>
    public static Targets Write(
        Span<byte> target, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> replyPrefix, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> queue,
        ReadOnlySpan<byte> headersAndPayload, int headerSize)
    {
        var at = WriteShort(target, 0, subject);
        BinaryPrimitives.WriteUInt16LittleEndian(target[at..], checked((ushort)(replyPrefix.Length + reply.Length)));
        replyPrefix.CopyTo(target[(at + 2)..]);
        reply.CopyTo(target[(at + 2 + replyPrefix.Length)..]);
        at += 2 + replyPrefix.Length + reply.Length;
        BinaryPrimitives.WriteInt32LittleEndian(target[at..], headerSize);
        BinaryPrimitives.WriteInt32LittleEndian(target[(at + 4)..], headersAndPayload.Length);
        headersAndPayload.CopyTo(target[(at + 8)..]);
        at += 8 + headersAndPayload.Length;
        target[at] = queue.IsEmpty ? PlainFlag : (byte)0;
        target[at + 1] = queue.IsEmpty ? (byte)0 : (byte)1;
        if (!queue.IsEmpty) WriteShort(target, at + 2, queue);
        return new Targets(at, at + 1);
    }

    private const byte PlainFlag = 1;
    private const byte HandedOnFlag = 2;

    /// <summary>
    /// Marks the frame whose flags are at <paramref name="flagsAt"/> as a queue message that a
    /// node which received it from another could not deliver and handed on: the next node
    /// delivers it to a member of its own or drops it, never hands it on again (no loops).
    /// </summary>
    public static void MarkHandedOn(Span<byte> buffer, int flagsAt) => buffer[flagsAt] |= HandedOnFlag;

    /// <summary>The extra bytes <see cref="AddTarget"/> appends for <paramref name="queue"/> (none for plain).</summary>
    public static int SizeOfTarget(int queue) => queue == 0 ? 0 : 2 + queue;

    /// <summary>
    /// Adds a target to the frame that ends at <paramref name="end"/> (the last one written) and
    /// returns the bytes appended. False when the frame cannot take more queues (it then needs a frame of its own).
    /// </summary>
    public static bool AddTarget(Span<byte> buffer, Targets targets, int end, ReadOnlySpan<byte> queue, out int appended)
    {
        appended = 0;
        if (queue.IsEmpty)
        {
            buffer[targets.PlainAt] |= PlainFlag;
            return true;
        }
        var count = buffer[targets.QueueCountAt];
        if (count == byte.MaxValue) return false;
        // The same group matched through two subjects: the receiving node still picks one member.
        var at = targets.QueueCountAt + 1;
        for (var i = 0; i < count; i++)
        {
            if (ReadShort(buffer, ref at).SequenceEqual(queue)) return true;
        }
        buffer[targets.QueueCountAt] = (byte)(count + 1);
        appended = WriteShort(buffer, end, queue) - end;
        return true;
    }

    /// <summary>One decoded message; its spans point into the batch.</summary>
    public readonly ref struct Frame
    {
        public ReadOnlySpan<byte> Subject { get; init; }
        public ReadOnlySpan<byte> Reply { get; init; }
        public ReadOnlySpan<byte> HeadersAndPayload { get; init; }
        public int HeaderSize { get; init; }
        /// <summary>For the node's plain subscriptions.</summary>
        public bool Plain { get; init; }
        /// <summary>Handed on by a node that could not deliver it (see <see cref="MarkHandedOn"/>).</summary>
        public bool HandedOn { get; init; }
        /// <summary>The queue groups' names, each with its 16-bit length; read them with <see cref="NextQueue"/>.</summary>
        public ReadOnlySpan<byte> Queues { get; init; }
        public int QueueCount { get; init; }
    }

    /// <summary>Reads the message at <paramref name="offset"/> and moves the offset past it.</summary>
    public static Frame Read(ReadOnlySpan<byte> frames, ref int offset)
    {
        var subject = ReadShort(frames, ref offset);
        var reply = ReadShort(frames, ref offset);
        var headerSize = BinaryPrimitives.ReadInt32LittleEndian(frames[offset..]);
        var length = BinaryPrimitives.ReadInt32LittleEndian(frames[(offset + 4)..]);
        var body = frames.Slice(offset + 8, length);
        offset += 8 + length;
        var flags = frames[offset];
        int count = frames[offset + 1];
        offset += 2;
        var queuesStart = offset;
        for (var i = 0; i < count; i++) ReadShort(frames, ref offset);
        return new Frame
        {
            Subject = subject, Reply = reply, HeadersAndPayload = body, HeaderSize = headerSize,
            Plain = (flags & PlainFlag) != 0, HandedOn = (flags & HandedOnFlag) != 0, Queues = frames[queuesStart..offset], QueueCount = count,
        };
    }

    /// <summary>The next queue name of <see cref="Frame.Queues"/>, moving <paramref name="offset"/> past it.</summary>
    public static ReadOnlySpan<byte> NextQueue(ReadOnlySpan<byte> queues, ref int offset) => ReadShort(queues, ref offset);

    private static int WriteShort(Span<byte> target, int at, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(target[at..], checked((ushort)value.Length));
        value.CopyTo(target[(at + 2)..]);
        return at + 2 + value.Length;
    }

    private static ReadOnlySpan<byte> ReadShort(ReadOnlySpan<byte> frames, ref int offset)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(frames[offset..]);
        var value = frames.Slice(offset + 2, length);
        offset += 2 + length;
        return value;
    }
}
