using Broker.Configuration;
using Broker.Protocol;
using Broker.Security;

namespace Broker.Clients;

/// <summary>
/// What a configuration reload does to a live connection, as nats-server 2.9's
/// <c>reloadAuthorization</c>: a user that is gone or now in another account is closed without an
/// -ERR; a client whose credentials no longer pass gets <c>-ERR 'Authorization Violation'</c>;
/// subscriptions its new permissions refuse are removed, each with an -ERR, and the connection
/// stays. Called on the reload's thread, once the new authenticator is in place.
/// </summary>
public sealed partial class ClientConnection
{
    /// <summary>Who the client was bound as at CONNECT (a reload re-derives its limits from it); null before.</summary>
    private AuthenticatedClient? _identity;

    /// <summary>Re-checks this connection against the reloaded <paramref name="previous"/> → current authenticator.</summary>
    internal void Reauthorize(ClientAuthenticator previous)
    {
        // A client still before CONNECT meets the new rules when it sends one.
        if (IsClosed || !_connectReceived) return;
        // Operator-mode users come from their JWTs, which a configuration file does not hold.
        if (Options.Jwt is not null) return;
        var current = _server.Authenticator;
        if (!current.AuthRequired)
        {
            // Without authentication every client is in the global account, unrestricted.
            if (Account.Name != Configuration.AccountNames.Global)
            {
                Close(CloseReason.ClientClosed);
                return;
            }
            Rebind(new AuthenticatedClient(null, Configuration.AccountNames.Global));
            return;
        }
        if (User is { } name && (current.Find(name) is not { } user || user.Account != Account.Name))
        {
            // The user is gone, or moved to another account: closed, with no -ERR.
            Close(CloseReason.ClientClosed);
            return;
        }
        var client = SameBcryptUser(previous, current) ?? current.Authenticate(Options, _nonce, ClientCertificate, RemoteEndPoint?.Address);
        if (client is null)
        {
            RefuseAfterReload();
            return;
        }
        if (client.Account != Account.Name)
        {
            Close(CloseReason.ClientClosed);
            return;
        }
        Rebind(client);
    }

    /// <summary>An unchanged bcrypt user passes without a second, deliberately slow, hash.</summary>
    private AuthenticatedClient? SameBcryptUser(ClientAuthenticator previous, ClientAuthenticator current)
    {
        if (User is null || previous.Find(User) is not { } before || current.Find(User) is not { } now) return null;
        if (!now.Password.StartsWith("$2", StringComparison.Ordinal) || before.Password != now.Password || Options.User != User) return null;
        return new AuthenticatedClient(now.Name, now.Account, now.Permissions);
    }

    private void RefuseAfterReload()
    {
        _server.Log.Error($"{Description} - authentication error{(User is null ? "" : $" - User \"{User}\"")}");
        Close(CloseReason.AuthenticationViolation, ProtocolErrors.AuthorizationViolation);
    }

    /// <summary>Takes the new permissions and limits; removes the subscriptions they no longer allow.</summary>
    private void Rebind(AuthenticatedClient client)
    {
        _identity = client;
        Permissions = ClientPermissions.From(client.Permissions);
        ApplyReloadedLimits();
        var permissions = Permissions;
        if (permissions is null) return;
        Subjects.Subscription[] all;
        lock (_subscriptionsGate) all = [.. _subscriptions.Values];
        foreach (var subscription in all)
        {
            var subject = System.Text.Encoding.ASCII.GetString(subscription.Subject);
            if (permissions.CanSubscribe(subject, subscription.QueueText)) continue;
            var sid = System.Text.Encoding.ASCII.GetString(subscription.Sid);
            RemoveSubscription(subscription);
            SendFromOutside(ProtocolErrors.Frame($"Permissions Violation for Subscription to \"{subject}\" (sid \"{sid}\")"));
            _server.Log.Notice($"Removed sub \"{subject}\" (sid \"{sid}\") for {(User is null ? "client" : $"User \"{User}\"")} - not authorized");
        }
    }

    /// <summary>max_payload (and the subscription limit) from the reloaded options, tightened by account and user as at CONNECT.</summary>
    internal void ApplyReloadedLimits()
    {
        var limits = Account.Limits;
        var options = _server.Options;
        _maxSubscriptions = AccountLimits.Tighter(AccountLimits.Tighter(options.MaxSubscriptions, limits.MaxSubscriptions), _identity?.MaxSubscriptions ?? 0);
        _maxPayload = AccountLimits.PayloadBound(AccountLimits.Tighter(AccountLimits.Tighter(options.MaxPayload, limits.MaxPayload), _identity?.MaxPayload ?? 0));
    }

    /// <summary>A protocol frame from a thread other than the read loop's (which owns the delivery batch).</summary>
    private void SendFromOutside(byte[] frame)
    {
        var appended = _outbound.AppendProtocol(frame);
        if (appended == AppendResult.NeedsFlush) Flush();
        else if (appended == AppendResult.Full) OnSlowConsumer();
    }
}
