using System.Buffers.Binary;

namespace Broker.Links;

/// <summary>
/// The framing every server-to-server link shares (node data connections, gateways, and next leaf
/// nodes): a 32-bit little-endian length (of what follows), a type byte, and the body. Control
/// frames are small and rare and use <see cref="BinaryWriter"/>; a message frame is an account
/// name and a run of <see cref="MessageFrames"/>. Each kind of link numbers its own control frames
/// and keeps clear of the two codes here.
/// </summary>
public static class LinkFrames
{
    public const int HeaderSize = 5;

    /// <summary>
    /// The longest frame a peer may send; anything longer is a broken or hostile peer. A batch
    /// may hold a full 64 KiB of messages plus one of the largest payload allowed (64 MiB).
    /// </summary>
    public const int MaxFrame = 72 * 1024 * 1024;

    /// <summary>The longest frame a peer may send before it is admitted: a handshake is small, and a stranger must not make the server buffer more.</summary>
    public const int MaxHandshakeFrame = 4096;

    /// <summary>A batch: the account's name, then its messages (<see cref="MessageFrames"/>).</summary>
    public const byte Messages = 4;

    /// <summary>Sent by both sides every ping interval: anything received proves the other side alive.</summary>
    public const byte Ping = 5;

    public static readonly byte[] PingFrame = [1, 0, 0, 0, Ping];

    /// <summary>Writes a frame header at the start of <paramref name="target"/> for a body of <paramref name="bodyLength"/> bytes.</summary>
    public static void WriteHeader(Span<byte> target, byte type, int bodyLength)
    {
        BinaryPrimitives.WriteInt32LittleEndian(target, bodyLength + 1);
        target[4] = type;
    }

    /// <summary>A whole control frame of <paramref name="type"/>, its body written by <paramref name="write"/>.</summary>
    public static byte[] Control(byte type, Action<BinaryWriter> write)
    {
        var stream = new MemoryStream();
        stream.Write(new byte[HeaderSize]);
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) write(writer);
        var bytes = stream.ToArray();
        WriteHeader(bytes, type, bytes.Length - HeaderSize);
        return bytes;
    }

    /// <summary>A reader over a control frame's body.</summary>
    public static BinaryReader Reader(ReadOnlySpan<byte> body) => new(new MemoryStream(body.ToArray(), writable: false));
}
