using System.Text.RegularExpressions;
using Akka.Actor;
using Broker.Configuration;
using Broker.Protocol;
using Broker.Security;

namespace Broker.Clients;

public sealed partial class ClientConnection
{
    private volatile bool _connectReceived;

    /// <summary>A readable CONNECT arrived: as nats-server (which clears its auth timer there), checking its credentials is not timed, a slow bcrypt included.</summary>
    private volatile bool _connectArrived;
    private bool _announced;

    /// <summary>The nonce of this connection's INFO, when clients must sign one.</summary>
    private string? _nonce;

    /// <summary>The authenticated user, when the server has users.</summary>
    public string? User { get; private set; }

    private bool AuthRequired => _server.Authenticator.AuthRequired;

    /// <summary>How long the client has to send CONNECT; null when no authentication is required.</summary>
    internal TimeSpan? AuthTimeout => AuthRequired ? _server.Options.AuthTimeout : null;

    /// <summary>
    /// With authentication on, the first operation must be CONNECT; anything else is an
    /// authorization violation, unless a no-auth user is configured (nats-server lets such a
    /// client start with, say, a PING from telnet).
    /// </summary>
    private bool AdmitBeforeConnect()
    {
        if (_connectReceived || !AuthRequired) return true;
        var anonymous = _server.Authenticator.Authenticate(ConnectOptions.Defaults);
        if (anonymous is not null)
        {
            if (!BindTo(anonymous)) return false;
            Announce();
            return true;
        }
        RefuseCredentials(ConnectOptions.Defaults);
        return false;
    }

    /// <summary>A CONNECT whose credentials are being checked off the read loop's thread.</summary>
    private (ConnectOptions Options, Task<AuthenticatedClient?> Result)? _slowAuthentication;

    private async Task CompleteSlowAuthenticationAsync()
    {
        var (options, result) = _slowAuthentication!.Value;
        _slowAuthentication = null;
        CompleteConnect(options, await result.ConfigureAwait(false));
    }

    /// <summary>Binds an authenticated CONNECT (null: refused, or no authentication required); false when the client was closed.</summary>
    private bool Authenticated(ConnectOptions options, AuthenticatedClient? client)
    {
        if (!AuthRequired)
        {
            _connectReceived = true;
            return true;
        }
        if (client is null)
        {
            RefuseCredentials(options);
            return false;
        }
        return BindTo(client);
    }

    /// <summary>Binds the client to its user and account; false (and closed) when the account is full.</summary>
    private bool BindTo(AuthenticatedClient client)
    {
        var account = _server.Accounts[client.Account];
        var limits = account.Limits;
        if (client.Account != Account.Name && AccountLimits.Reached(limits.MaxConnections, account.Connections))
        {
            _server.Log.Error($"{Description} - {ProtocolErrors.MaxAccountConnectionsExceeded}");
            Close(CloseReason.MaxAccountConnectionsExceeded, ProtocolErrors.MaxAccountConnectionsExceeded);
            return false;
        }
        _connectReceived = true;
        _identity = client;
        User = client.User;
        Permissions = ClientPermissions.From(client.Permissions);
        // The tightest of server, account and user limits, as nats-server applies them per connection.
        _maxSubscriptions = AccountLimits.Tighter(AccountLimits.Tighter(_server.Options.MaxSubscriptions, limits.MaxSubscriptions), client.MaxSubscriptions);
        _maxPayload = AccountLimits.PayloadBound(AccountLimits.Tighter(AccountLimits.Tighter(_server.Options.MaxPayload, limits.MaxPayload), client.MaxPayload));
        if (client.Jwt is { } user) StartExpiry(user, _server.OperatorAccounts?.Find(client.Account));
        if (client.Account == Account.Name) return true;
        var previous = Account;
        Account = account;
        previous.ConnectionClosed();
        Account.ConnectionOpened();
        return true;
    }

    private void RefuseCredentials(ConnectOptions attempted)
    {
        // Name the client, never what it sent.
        _server.Log.Error($"{Description} - authentication error");
        _server.SystemEvents?.Tell(new AuthenticationFailed(this, attempted, DateTime.UtcNow));
        Close(CloseReason.AuthenticationViolation, ProtocolErrors.AuthorizationViolation);
    }

    /// <summary>Tells the system account, once, that the client is in its account (after its first accepted CONNECT).</summary>
    /// <summary>Whether the system account was told this client connected (its disconnect will follow).</summary>
    internal bool Announced => _announced;

    private void Announce()
    {
        if (_announced) return;
        _announced = true;
        _server.SystemEvents?.Tell(new ClientConnected(this));
    }

    /// <summary>The auth timer from the connection's actor: no CONNECT in time closes the client.</summary>
    internal void OnAuthTimeout()
    {
        if (_connectReceived || _connectArrived || IsClosed) return;
        _server.Log.Error($"{Description} - {ProtocolErrors.AuthenticationTimeout}");
        Close(CloseReason.AuthenticationTimeout, ProtocolErrors.AuthenticationTimeout);
    }

    /// <summary>CONNECT as trace output, with passwords, tokens and signatures blanked as nats-server does.</summary>
    private static string Redacted(string connectJson) => SecretFields().Replace(connectJson, "\"$1\":\"[REDACTED]\"");

    [GeneratedRegex("\"(pass|auth_token|sig)\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex SecretFields();
}
