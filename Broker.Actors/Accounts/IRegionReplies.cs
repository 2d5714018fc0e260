using Broker.Subjects;

namespace Broker.Accounts;

/// <summary>
/// Where a response addressed to another region (<c>_GR_.REGION.NODE.reply</c>) leaves this node:
/// its gateway. Declared here, implemented by the gateway layer, so that the publish path
/// (<see cref="Account.Publish{TTargets}"/>) does not depend on Gateways.
/// </summary>
public interface IRegionReplies
{
    /// <summary>True when <paramref name="subject"/> is a reply for another region (sent, or dropped while the link is down).</summary>
    bool TrySendReply(Account account, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context);
}
