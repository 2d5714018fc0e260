using Broker.Jwt;
using Broker.Protocol;

namespace Broker.Clients;

/// <summary>
/// A replaced account JWT applied to this open connection, as nats-server 2.9's
/// <c>updateAccountClaimsWithRefresh</c>: limits re-applied (at or over the subscription limit:
/// <c>-ERR 'maximum subscriptions exceeded'</c>, closed 20 ms later); the user JWT re-checked
/// against revocations (<c>-ERR 'User Authentication Revoked'</c>) and <c>disallow_bearer</c>
/// (<c>-ERR 'Authorization Violation'</c>); a user signed by a signing key that was removed or
/// re-scoped is closed without an -ERR. Permissions stay as they were at CONNECT, as in nats-server.
/// </summary>
public sealed partial class ClientConnection
{
    private static readonly TimeSpan SubscriptionLimitGrace = TimeSpan.FromMilliseconds(20);

    /// <summary>One of the newest connections beyond the account's new connection limit.</summary>
    internal void CloseOverAccountLimit()
    {
        _server.Log.Error($"{Description} - {ProtocolErrors.MaxAccountConnectionsExceeded}");
        Close(CloseReason.MaxAccountConnectionsExceeded, ProtocolErrors.MaxAccountConnectionsExceeded);
    }

    /// <summary>Applies <paramref name="account"/>, whose signing keys <paramref name="withdrawnSigners"/> no longer vouch for their users.</summary>
    internal void ApplyAccountClaims(AccountClaims account, IReadOnlySet<string> withdrawnSigners)
    {
        if (IsClosed) return;
        ApplyReloadedLimits();
        var maxSubscriptions = _maxSubscriptions;
        // A limit of none allowed closes only a connection that has subscriptions (nats-server: subs > 0 && subs >= max).
        if (SubscriptionCount > 0 && Configuration.AccountLimits.Reached(maxSubscriptions, SubscriptionCount)) CloseOverSubscriptionLimit();
        if (UserJwt is not { } user) return;
        AccountExpiryChanged(account);
        switch (UserStanding.Of(user, account, withdrawnSigners))
        {
            case UserStandingVerdict.BearerDisallowed:
                _server.Log.Error($"{Description} - {ProtocolErrors.AuthorizationViolation}");
                Close(CloseReason.AuthenticationViolation, ProtocolErrors.AuthorizationViolation);
                break;
            case UserStandingVerdict.Revoked:
                _server.Log.Debug($"{Description} - {ProtocolErrors.UserRevoked}");
                Close(CloseReason.Revocation, ProtocolErrors.UserRevoked);
                break;
            case UserStandingVerdict.SignerWithdrawn:
                _server.Log.Debug($"{Description} - user JWT issuer no longer valid");
                Close(CloseReason.AuthenticationViolation);
                break;
        }
    }

    private void CloseOverSubscriptionLimit()
    {
        _server.Log.Error($"{Description} - {ProtocolErrors.MaxSubscriptionsExceeded}");
        SendFromOutside(ProtocolErrors.Frame(ProtocolErrors.MaxSubscriptionsExceeded));
        // nats-server lets the -ERR go out before it closes.
        _ = Task.Delay(SubscriptionLimitGrace).ContinueWith(_ => Close(CloseReason.MaxSubscriptionsExceeded), TaskScheduler.Default);
    }
}
