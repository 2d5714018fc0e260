using System.Buffers.Binary;
using Broker.Cluster;
using Broker.Links;

namespace Broker.Gateways;

/// <summary>
/// The gateway wire: every frame is a 32-bit little-endian length (of what follows), a type
/// byte, and the body. Control frames are small and rare and use <see cref="BinaryWriter"/>;
/// a message frame is an account name and a run of <see cref="MessageFrames"/>.
/// </summary>
internal static class GatewayFrames
{
    public const int HeaderSize = 5;

    /// <summary>
    /// The longest frame a peer may send; anything longer is a broken or hostile peer. A batch
    /// may hold a full 64 KiB of messages plus one of the largest payload allowed (64 MiB).
    /// </summary>
    public const int MaxFrame = 72 * 1024 * 1024;

    public const byte Connect = 1;
    public const byte Info = 2;
    public const byte Interest = 3;
    public const byte Messages = 4;

    /// <summary>Sent by both sides every ping interval: anything received proves the other side alive.</summary>
    public const byte Ping = 5;

    public static readonly byte[] PingFrame = [1, 0, 0, 0, Ping];

    /// <summary>The outbound side introduces itself: its region, its node, and the gateway URL it can be reached at.</summary>
    public sealed record ConnectFrame(string Region, string Node, string GatewayUrl);

    /// <summary>The inbound side's answer, repeated when its region changes: its region and the gateway URLs of all of the region's nodes.</summary>
    public sealed record InfoFrame(string Region, string Node, IReadOnlyList<string> GatewayUrls);

    /// <summary>Interest the inbound side's region gained or lost (its whole interest, first, as additions).</summary>
    public sealed record InterestFrame(IReadOnlyList<InterestEntry> Added, IReadOnlyList<InterestEntry> Removed);

    public static byte[] Encode(ConnectFrame frame) => Control(Connect, w =>
    {
        w.Write(frame.Region);
        w.Write(frame.Node);
        w.Write(frame.GatewayUrl);
    });

    public static byte[] Encode(InfoFrame frame) => Control(Info, w =>
    {
        w.Write(frame.Region);
        w.Write(frame.Node);
        w.Write(frame.GatewayUrls.Count);
        foreach (var url in frame.GatewayUrls) w.Write(url);
    });

    public static byte[] Encode(InterestFrame frame) => Control(Interest, w =>
    {
        ClusterMessageSerializer.WriteEntries(w, frame.Added);
        ClusterMessageSerializer.WriteEntries(w, frame.Removed);
    });

    public static ConnectFrame DecodeConnect(byte[] body)
    {
        using var r = Reader(body);
        return new ConnectFrame(r.ReadString(), r.ReadString(), r.ReadString());
    }

    public static InfoFrame DecodeInfo(byte[] body)
    {
        using var r = Reader(body);
        var region = r.ReadString();
        var node = r.ReadString();
        var urls = new string[r.ReadInt32()];
        for (var i = 0; i < urls.Length; i++) urls[i] = r.ReadString();
        return new InfoFrame(region, node, urls);
    }

    public static InterestFrame DecodeInterest(byte[] body)
    {
        using var r = Reader(body);
        return new InterestFrame(ClusterMessageSerializer.ReadEntries(r), ClusterMessageSerializer.ReadEntries(r));
    }

    /// <summary>Writes a frame header at the start of <paramref name="target"/> for a body of <paramref name="bodyLength"/> bytes.</summary>
    public static void WriteHeader(Span<byte> target, byte type, int bodyLength)
    {
        BinaryPrimitives.WriteInt32LittleEndian(target, bodyLength + 1);
        target[4] = type;
    }

    private static byte[] Control(byte type, Action<BinaryWriter> write)
    {
        var stream = new MemoryStream();
        stream.Write(new byte[HeaderSize]);
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) write(writer);
        var bytes = stream.ToArray();
        WriteHeader(bytes, type, bytes.Length - HeaderSize);
        return bytes;
    }

    private static BinaryReader Reader(byte[] body) => new(new MemoryStream(body, writable: false));
}
