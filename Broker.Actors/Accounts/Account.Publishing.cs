using Broker.Subjects;

namespace Broker.Accounts;

public sealed partial class Account
{
    /// <summary>Where responses for other regions leave (this node's gateway); null without a <c>gateway</c> block.</summary>
    internal IRegionReplies? RegionReplies { get; set; }

    /// <summary>
    /// The one way a message enters this account, whatever brought it: a client's PUB, a message
    /// from another node or region, the system account's own. A response for another region goes
    /// back through the gateway (only if it started on this node: what a link brought is never sent
    /// on); a response to a request imported into this account goes to the importer; then the
    /// matching subscriptions get it (<paramref name="targets"/> says which). The context is the
    /// source: its publisher is not echoed to when echo is off, and its flags say which link it came
    /// over. Returns whether anyone took the message (no-responders). Allocates nothing.
    /// </summary>
    public bool Publish<TTargets>(
        ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context, scoped in TTargets targets)
        where TTargets : IDeliveryTargets, allows ref struct
    {
        if (RegionReplies is { } regions && context.IsLocalOrigin && regions.TrySendReply(this, subject, reply, headersAndPayload, headerSize, context)) return true;
        var routed = targets.Plain && HasResponseRoutes && TryRouteResponse(subject, reply, headersAndPayload, headerSize, context);
        var match = Index.Match(subject);
        var delivered = match.IsEmpty ? 0 : targets.Deliver(context, match, subject, reply, headersAndPayload, headerSize);
        return routed || delivered > 0;
    }

    /// <summary><see cref="Publish{TTargets}"/> to every matching subscription: a message that started on this node.</summary>
    public bool Publish(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context) =>
        Publish(subject, reply, headersAndPayload, headerSize, context, default(EverySubscription));
}
