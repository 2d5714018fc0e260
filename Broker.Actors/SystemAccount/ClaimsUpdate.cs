using Akka.Actor;
using Broker.Accounts;
using Broker.ClaimsEnforcement;
using Broker.Configuration;
using Broker.Jwt;
using Broker.Subjects;
using Broker.Runtime;

namespace Broker.SystemAccount;

/// <summary>
/// <c>$SYS.REQ.CLAIMS.UPDATE</c> (and <c>$SYS.REQ.ACCOUNT.&lt;key&gt;.CLAIMS.UPDATE</c>): a new
/// account JWT, verified against the operator, replaces the account's claims at run time. New
/// connections see its new signing keys, revocations and limits at once; its imports, and the
/// imports of accounts that import from it, are rewired; an unknown account is created; a
/// directory resolver keeps the JWT on disk. Open connections of the account meet its new limits,
/// revocations and signing keys (<see cref="LiveClaimsEnforcement"/>); they keep their permissions.
/// </summary>
internal sealed class ClaimsUpdate(ServerContext server, IActorContext context)
{
    public const string Updated = "jwt updated";

    /// <summary>Applies the update; returns the account key and null, or the key (if readable) and the error.</summary>
    public async Task<(string? Account, string? Error)> ApplyAsync(string jwt, string? expectedAccount)
    {
        if (server.OperatorAccounts is not { Mode: var mode } known) return (expectedAccount, "this server has no operator: claims are not accepted");
        if (!JwtDecoder.TryDecode<AccountClaims>(jwt.Trim(), out var claims, out var decodeError)) return (expectedAccount, $"invalid account JWT: {decodeError}");
        var key = claims.Subject!;
        if (expectedAccount is not null && expectedAccount != key) return (expectedAccount, $"the JWT is for account {key}");
        var verdict = JwtTrust.CheckAccount(claims, mode.Operator, DateTimeOffset.UtcNow);
        if (verdict != JwtVerdict.Valid) return (key, $"account JWT not accepted: {verdict}");
        if (known.TryGetValue(key, out var current) && current.IssuedAt > claims.IssuedAt) return (key, "an account JWT issued later is already in place");

        // A known account's new claims count for connects at once; a new account is published only
        // once it exists with its imports wired (below), so no connect finds it half made.
        if (current is not null) known.Set(key, claims);
        if (mode.ResolverDirectory is { } directory) await File.WriteAllTextAsync(Path.Combine(directory, $"{key}.jwt"), jwt.Trim());

        var now = DateTimeOffset.UtcNow;
        var all = known.Snapshot();
        all[key] = claims;
        var options = all.Values.ToDictionary(a => a.Subject!, a => JwtAccounts.ToOptions(a, all, now), StringComparer.Ordinal);
        var (account, created) = await server.Accounts.GetOrAddAsync(key, async fresh =>
        {
            fresh.Limits = options[key].Limits;
            var actor = context.ActorOf(AccountActor.Props(fresh), $"account-{key}");
            // Its constructor has attached the shards once it answers.
            await actor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(10));
        });
        account.Limits = options[key].Limits;
        if (created)
        {
            // Other nodes may already have told of interest in it.
            server.ClusterNode?.Tell(new Cluster.ClusterNodeActor.AccountAdded(key));
            server.GatewayActor?.Tell(new Cluster.ClusterNodeActor.AccountAdded(key));
        }

        var exports = options.ToDictionary(o => o.Key, o => (IReadOnlyList<ExportOptions>)o.Value.Exports, StringComparer.Ordinal);
        var changes = new PendingChanges();
        var detached = new List<(Account Target, Subscription Subscription)>();
        foreach (var importer in options.Values.Where(o => o.Name == key || o.Imports.Any(i => i.Account == key)))
        {
            if (!server.Accounts.TryGet(importer.Name, out var importerAccount)) continue;
            detached.AddRange(importerAccount.DetachImports());
            foreach (var (target, subscription) in ImportWiring.For(importer, exports, server.Accounts, server.ServerId))
                importerAccount.AddImport(target, subscription, changes);
        }
        // The old ones leave after the new ones are in: an unchanged import's interest never drops (nats-server sends no LS-/LS+ for it).
        Account.RemoveDetached(detached, changes);
        await changes.WhenAllApplied();
        known.Set(key, claims);
        server.Log.Notice($"Account {key} claims updated{(created ? " (new account)" : "")}");
        foreach (var refused in JwtAccounts.RefusedImports(claims, all, now)) server.Log.Warn(refused);
        LiveClaimsEnforcement.Apply(server, previous: current, claims);
        return (key, null);
    }
}
