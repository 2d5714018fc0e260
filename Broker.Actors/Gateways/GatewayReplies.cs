using System.Text;
using Broker.Links;

namespace Broker.Gateways;

/// <summary>
/// Reply subjects of messages that cross a gateway become <c>_GR_.REGION.NODE.reply</c> (as
/// nats-server's <c>_GR_.cluster-hash.server-hash.</c>), so the response goes straight back to
/// the requester's region and node, whatever interest the responder's region has heard of yet.
/// Tags are short hashes of the region name and node id, the same on every node.
/// </summary>
internal static class GatewayReplies
{
    public static ReadOnlySpan<byte> Prefix => "_GR_."u8;

    private const int TagLength = NameTag.Length;

    public static string Tag(string name) => NameTag.Of(name);

    /// <summary><c>_GR_.REGION.NODE.</c> for replies that come back to this node.</summary>
    public static byte[] PrefixFor(string region, string node) => Encoding.ASCII.GetBytes($"_GR_.{Tag(region)}.{Tag(node)}.");

    /// <summary>Splits <c>_GR_.REGION.NODE.reply</c>; false when the subject is not one.</summary>
    public static bool TryParse(ReadOnlySpan<byte> subject, out ReadOnlySpan<byte> region, out ReadOnlySpan<byte> node, out ReadOnlySpan<byte> reply)
    {
        region = node = reply = default;
        var full = Prefix.Length + TagLength + 1 + TagLength + 1;
        if (subject.Length <= full || !subject.StartsWith(Prefix) || subject[Prefix.Length + TagLength] != '.' || subject[full - 1] != '.') return false;
        region = subject.Slice(Prefix.Length, TagLength);
        node = subject.Slice(Prefix.Length + TagLength + 1, TagLength);
        reply = subject[full..];
        return true;
    }
}
