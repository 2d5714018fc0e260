using System.Text.RegularExpressions;
using Akka.Actor;
using Broker.Protocol;
using Broker.Security;
using Broker.SystemAccount;

namespace Broker.Clients;

public sealed partial class ClientConnection
{
    private volatile bool _connectReceived;
    private bool _announced;

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
            BindTo(anonymous);
            Announce();
            return true;
        }
        RefuseCredentials(ConnectOptions.Defaults);
        return false;
    }

    /// <summary>Authenticates a CONNECT; false when the client was refused and closed.</summary>
    private bool Authenticate(ConnectOptions options)
    {
        if (!AuthRequired)
        {
            _connectReceived = true;
            return true;
        }
        var client = _server.Authenticator.Authenticate(options);
        if (client is null)
        {
            RefuseCredentials(options);
            return false;
        }
        BindTo(client);
        return true;
    }

    private void BindTo(AuthenticatedClient client)
    {
        _connectReceived = true;
        User = client.User;
        if (client.Account == Account.Name) return;
        var previous = Account;
        Account = _server.Accounts[client.Account];
        previous.ConnectionClosed();
        Account.ConnectionOpened();
    }

    private void RefuseCredentials(ConnectOptions attempted)
    {
        // Name the client, never what it sent.
        _server.Log.Error($"{Description} - authentication error");
        _server.SystemEvents?.Tell(new AuthenticationFailed(this, attempted, DateTime.UtcNow));
        Close(CloseReason.AuthenticationViolation, ProtocolErrors.AuthorizationViolation);
    }

    /// <summary>Tells the system account, once, that the client is in its account (after its first accepted CONNECT).</summary>
    private void Announce()
    {
        if (_announced) return;
        _announced = true;
        _server.SystemEvents?.Tell(new ClientConnected(this));
    }

    /// <summary>The auth timer from the connection's actor: no CONNECT in time closes the client.</summary>
    internal void OnAuthTimeout()
    {
        if (_connectReceived || IsClosed) return;
        _server.Log.Error($"{Description} - {ProtocolErrors.AuthenticationTimeout}");
        Close(CloseReason.AuthenticationTimeout, ProtocolErrors.AuthenticationTimeout);
    }

    /// <summary>CONNECT as trace output, with passwords, tokens and signatures blanked as nats-server does.</summary>
    private static string Redacted(string connectJson) => SecretFields().Replace(connectJson, "\"$1\":\"[REDACTED]\"");

    [GeneratedRegex("\"(pass|auth_token|sig)\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex SecretFields();
}
