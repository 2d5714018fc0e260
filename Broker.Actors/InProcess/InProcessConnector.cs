using Broker.Configuration;
using Broker.Security;
using Broker.Server;

namespace Broker.InProcess;

/// <summary>
/// Opens in-process connections to one running broker. A user identity takes the configured user's
/// account, permissions and limits (no credentials: the caller is code in this process already);
/// an account identity is unrestricted within its account. Account connection limits apply to both.
/// </summary>
public sealed class InProcessConnector(BrokerServer server)
{
    public BrokerServer Server { get; } = server;

    /// <summary>Opens a connection; <paramref name="name"/> is what /connz shows (<c>name</c>).</summary>
    /// <exception cref="InProcessException">Unknown user or account, the account is full, or the broker is shut down.</exception>
    public InProcessConnection Connect(InProcessIdentity identity, string? name = null)
    {
        var context = Server.Context;
        if (!context.IsReady && Server.Stopped.IsCompleted) throw new ConnectionClosedException();
        var options = context.Options;
        var (accountName, user, permissions) = identity switch
        {
            InProcessIdentity.UserIdentity u => FindUser(options, u.Name),
            InProcessIdentity.AccountIdentity a => (a.Name, (string?)null, (PermissionsOptions?)null),
            _ => throw new ArgumentException("unknown identity", nameof(identity)),
        };
        if (!context.Accounts.TryGet(accountName, out var account)) throw new InProcessException($"no account \"{accountName}\" on this broker");
        var limits = account.Limits;
        if (AccountLimits.Reached(limits.MaxConnections, account.Connections))
            throw new InProcessException(Protocol.ProtocolErrors.MaxAccountConnectionsExceeded);
        var connection = new InProcessConnection(
            context, account, user, ClientPermissions.From(permissions),
            AccountLimits.PayloadBound(AccountLimits.Tighter(options.MaxPayload, limits.MaxPayload)),
            AccountLimits.Tighter(options.MaxSubscriptions, limits.MaxSubscriptions),
            name ?? user ?? account.Name);
        connection.Opened();
        return connection;
    }

    private static (string Account, string? User, PermissionsOptions? Permissions) FindUser(BrokerOptions options, string name)
    {
        var user = options.Users.Concat(options.Accounts.SelectMany(a => a.Users)).FirstOrDefault(u => u.Name == name || u.Nkey == name)
            ?? throw new InProcessException($"no user \"{name}\" in this broker's configuration");
        return (user.Account, user.Name, user.Permissions);
    }
}

/// <summary>In-process connections straight from a <see cref="BrokerServer"/>.</summary>
public static class BrokerServerInProcessExtensions
{
    public static InProcessConnection ConnectInProcess(this BrokerServer server, InProcessIdentity identity, string? name = null) =>
        new InProcessConnector(server).Connect(identity, name);
}
