using Broker.Accounts;
using Broker.Cluster;
using Broker.Configuration;
using Broker.Subjects;

namespace Broker.Gateways;

/// <summary>
/// This node's place in the supercluster: its region, its tags, the remote regions it sends to,
/// and the region's interest it tells them. Publishers call <see cref="TrySendReply"/>; the rest
/// is driven by <see cref="GatewayActor"/> and the gateway connections.
/// </summary>
internal sealed class GatewayNode : IRegionReplies
{
    public GatewayNode(GatewayOptions options, LocalInterest local, AccountDirectory accounts)
    {
        Options = options;
        Local = local;
        RegionTag = System.Text.Encoding.ASCII.GetBytes(GatewayReplies.Tag(options.Name));
        NodeTag = System.Text.Encoding.ASCII.GetBytes(GatewayReplies.Tag(local.Node));
        var replyPrefix = GatewayReplies.PrefixFor(options.Name, local.Node);
        Regions = options.Remotes.Where(r => r.Name != options.Name).Select(r => new OutboundRegion(r, accounts, replyPrefix) { Credentials = options.CredentialsFor(r), Tls = options.TlsFor(r) }).ToArray();
    }

    public GatewayOptions Options { get; }
    public string Region => Options.Name;
    public LocalInterest Local { get; }
    public RegionInterest Interest { get; } = new();
    public byte[] RegionTag { get; }
    public byte[] NodeTag { get; }
    public IReadOnlyList<OutboundRegion> Regions { get; }

    /// <summary>The connections other regions' nodes opened to this one (set when the gateway starts).</summary>
    public InboundGateways? Inbound { get; set; }

    /// <summary>This node's gateway URL (host:port), once listening.</summary>
    public string GatewayUrl { get; set; } = "";

    /// <summary>
    /// Sends a response addressed <c>_GR_.REGION.NODE.reply</c> to that region over this node's
    /// link to it; true when the subject was one for another region (sent, or dropped while the link is down).
    /// </summary>
    public bool TrySendReply(Account account, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
    {
        if (!GatewayReplies.TryParse(subject, out var region, out _, out _) || region.SequenceEqual(RegionTag)) return false;
        foreach (var remote in Regions)
        {
            if (!remote.Tag.AsSpan().SequenceEqual(region)) continue;
            remote.ReplyLink(account)?.SendReply(subject, reply, headersAndPayload, headerSize, context);
            return true;
        }
        return true;
    }
}
