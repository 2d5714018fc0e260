using Broker.Runtime;
using Broker.Accounts;
using Broker.Server;
using Broker.Subjects;

namespace Broker.InProcess;

/// <summary>
/// The one place in-process publishing enters the account's publish path, the same steps a
/// client's PUB takes (gateway reply, service-import response route, match, deliver). Kept in one
/// method so it can be pointed at the account's single publish operation when there is one.
/// </summary>
internal static class AccountPublisher
{
    /// <summary>Delivers one message; returns how many subscriptions (or response routes) took it.</summary>
    public static int Publish(
        ServerContext server, Account account, DeliveryContext delivery,
        ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize)
    {
        if (server.Gateway is { } gateway && subject.StartsWith(Gateways.GatewayReplies.Prefix)
            && gateway.TrySendReply(account, subject, reply, headersAndPayload, headerSize, delivery)) return 1;
        var routed = account.HasResponseRoutes && account.TryRouteResponse(subject, reply, headersAndPayload, headerSize, delivery);
        var match = account.Index.Match(subject);
        var delivered = match.IsEmpty ? 0 : delivery.DeliverAll(match, subject, reply, headersAndPayload, headerSize);
        return routed ? delivered + 1 : delivered;
    }
}
