using System.Text.Json;
using Broker.Configuration;
using Broker.Jwt;
using Broker.Runtime;

namespace Broker.ClaimsEnforcement;

/// <summary>
/// A replaced account JWT reaching the account's open connections, as nats-server 2.9's
/// <c>updateAccountClaimsWithRefresh</c>: over the new <c>conn</c> limit the newest connections
/// stay and the older ones are closed with <c>-ERR 'maximum account active connections exceeded'</c>
/// (nats-server sorts newest first and closes from the limit on); every other one
/// re-applies limits and re-checks its user JWT (<see cref="Clients.ClientConnection.ApplyAccountClaims"/>);
/// leaves that connected as the account's users are re-checked alike (<see cref="LeafNodes.LeafConnection.ApplyAccountClaims"/>).
/// Imports and exports are rewired by the caller at the account level, which live subscribers share.
/// </summary>
internal static class LiveClaimsEnforcement
{
    public static void Apply(ServerContext server, AccountClaims? previous, AccountClaims current)
    {
        var limit = AccountLimits.FromJwt(current.Nats.Limits?.Connections ?? JwtLimits.NoLimit);
        var withdrawn = WithdrawnSigners(previous, current);
        // Newest first, as nats-server sorts them: the older ones are over the limit (cids grow with time).
        var clients = server.Connections.Values
            .Where(c => c.Account.Name == current.Subject && !c.IsClosed)
            .OrderByDescending(c => c.Id)
            .ToArray();
        for (var i = 0; i < clients.Length; i++)
        {
            if (AccountLimits.Reached(limit, i)) clients[i].CloseOverAccountLimit();
            else clients[i].ApplyAccountClaims(current, withdrawn);
        }
        ApplyToLeaves(server, current, withdrawn);
    }

    /// <summary>Leaves that connected to this hub as users of the account get the same user re-check (a leaf is a client of the account in nats-server).</summary>
    private static void ApplyToLeaves(ServerContext server, AccountClaims current, IReadOnlySet<string> withdrawn)
    {
        if (server.LeafNodes is not { } leafNodes) return;
        foreach (var leaf in leafNodes.Connections)
        {
            if (leaf.UserJwt is not null && leaf.Account?.Name == current.Subject) leaf.ApplyAccountClaims(current, withdrawn);
        }
    }

    /// <summary>Signing keys of <paramref name="previous"/> that <paramref name="current"/> dropped or re-scoped: their users are closed.</summary>
    internal static IReadOnlySet<string> WithdrawnSigners(AccountClaims? previous, AccountClaims current)
    {
        var withdrawn = new HashSet<string>(StringComparer.Ordinal);
        if (previous?.Nats.SigningKeys is not { } before) return withdrawn;
        foreach (var key in before)
        {
            var now = current.Nats.SigningKeys?.Find(key.Key);
            if (now is null || ScopeText(now.Scope) != ScopeText(key.Scope)) withdrawn.Add(key.Key);
        }
        return withdrawn;
    }

    private static string ScopeText(UserScope? scope) =>
        scope is null ? "" : JsonSerializer.Serialize(scope, JwtJsonContext.Default.UserScope);
}
