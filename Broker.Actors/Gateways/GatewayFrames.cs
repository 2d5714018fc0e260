using Broker.Cluster;
using Broker.Configuration;
using Broker.Links;

namespace Broker.Gateways;

/// <summary>
/// The gateway wire's control frames, in the framing every link shares (<see cref="LinkFrames"/>):
/// a message frame is <see cref="LinkFrames.Messages"/>, a ping <see cref="LinkFrames.Ping"/>.
/// </summary>
internal static class GatewayFrames
{
    public const byte Connect = 1;
    public const byte Info = 2;
    public const byte Interest = 3;

    /// <summary>
    /// The outbound side introduces itself: its region, its node, the gateway URL it can be reached
    /// at, and the credentials the other side's <c>gateway.authorization</c> asks for (in clear unless TLS, as nats-server's CONNECT).
    /// </summary>
    public sealed record ConnectFrame(string Region, string Node, string GatewayUrl)
    {
        public LinkCredentials? Credentials { get; init; }
    }

    /// <summary>The inbound side's answer, repeated when its region changes: its region and the gateway URLs of all of the region's nodes.</summary>
    public sealed record InfoFrame(string Region, string Node, IReadOnlyList<string> GatewayUrls);

    /// <summary>Interest the inbound side's region gained or lost (its whole interest, first, as additions).</summary>
    public sealed record InterestFrame(IReadOnlyList<InterestEntry> Added, IReadOnlyList<InterestEntry> Removed);

    public static byte[] Encode(ConnectFrame frame) => LinkFrames.Control(Connect, w =>
    {
        w.Write(frame.Region);
        w.Write(frame.Node);
        w.Write(frame.GatewayUrl);
        w.Write(frame.Credentials is not null);
        if (frame.Credentials is { } credentials)
        {
            w.Write(credentials.User);
            w.Write(credentials.Password is not null);
            w.Write(credentials.Password ?? "");
        }
    });

    public static byte[] Encode(InfoFrame frame) => LinkFrames.Control(Info, w =>
    {
        w.Write(frame.Region);
        w.Write(frame.Node);
        w.Write(frame.GatewayUrls.Count);
        foreach (var url in frame.GatewayUrls) w.Write(url);
    });

    public static byte[] Encode(InterestFrame frame) => LinkFrames.Control(Interest, w =>
    {
        ClusterMessageSerializer.WriteEntries(w, frame.Added);
        ClusterMessageSerializer.WriteEntries(w, frame.Removed);
    });

    public static ConnectFrame DecodeConnect(byte[] body)
    {
        using var r = LinkFrames.Reader(body);
        var frame = new ConnectFrame(r.ReadString(), r.ReadString(), r.ReadString());
        if (!r.ReadBoolean()) return frame;
        var user = r.ReadString();
        var hasPassword = r.ReadBoolean();
        var password = r.ReadString();
        return frame with { Credentials = new LinkCredentials(user, hasPassword ? password : null) };
    }

    public static InfoFrame DecodeInfo(byte[] body)
    {
        using var r = LinkFrames.Reader(body);
        var region = r.ReadString();
        var node = r.ReadString();
        var urls = new string[r.ReadInt32()];
        for (var i = 0; i < urls.Length; i++) urls[i] = r.ReadString();
        return new InfoFrame(region, node, urls);
    }

    public static InterestFrame DecodeInterest(byte[] body)
    {
        using var r = LinkFrames.Reader(body);
        return new InterestFrame(ClusterMessageSerializer.ReadEntries(r), ClusterMessageSerializer.ReadEntries(r));
    }
}
