using System.Buffers.Binary;

namespace Broker.Cluster;

/// <summary>
/// The wire form of messages in a <see cref="MessageBatch"/>: per message, subject, reply and queue
/// group (each a 16-bit length then bytes; an empty queue means plain interest), then the header
/// size and the length of headers and payload (32-bit), then those bytes.
/// </summary>
public static class MessageFrames
{
    private const int FixedSize = 2 + 2 + 2 + 4 + 4;

    public static int SizeOf(int subject, int reply, int queue, int body) => FixedSize + subject + reply + queue + body;

    /// <summary>Writes one message at the start of <paramref name="target"/>, which holds at least <see cref="SizeOf"/> bytes.</summary>
    public static void Write(
        Span<byte> target, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> queue, ReadOnlySpan<byte> headersAndPayload, int headerSize)
    {
        var at = WriteShort(target, 0, subject);
        at = WriteShort(target, at, reply);
        at = WriteShort(target, at, queue);
        BinaryPrimitives.WriteInt32LittleEndian(target[at..], headerSize);
        BinaryPrimitives.WriteInt32LittleEndian(target[(at + 4)..], headersAndPayload.Length);
        headersAndPayload.CopyTo(target[(at + 8)..]);
    }

    /// <summary>One decoded message; its spans point into the batch.</summary>
    public readonly ref struct Frame
    {
        public ReadOnlySpan<byte> Subject { get; init; }
        public ReadOnlySpan<byte> Reply { get; init; }
        public ReadOnlySpan<byte> Queue { get; init; }
        public ReadOnlySpan<byte> HeadersAndPayload { get; init; }
        public int HeaderSize { get; init; }
    }

    /// <summary>Reads the message at <paramref name="offset"/> and moves the offset past it.</summary>
    public static Frame Read(ReadOnlySpan<byte> frames, ref int offset)
    {
        var subject = ReadShort(frames, ref offset);
        var reply = ReadShort(frames, ref offset);
        var queue = ReadShort(frames, ref offset);
        var headerSize = BinaryPrimitives.ReadInt32LittleEndian(frames[offset..]);
        var length = BinaryPrimitives.ReadInt32LittleEndian(frames[(offset + 4)..]);
        var body = frames.Slice(offset + 8, length);
        offset += 8 + length;
        return new Frame { Subject = subject, Reply = reply, Queue = queue, HeadersAndPayload = body, HeaderSize = headerSize };
    }

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
