using Broker.Configuration;

namespace Broker.Server;

/// <summary>
/// A configuration reload the host has checked and found applicable: the new options, and what in
/// them differs from the running ones (compared by value, so an unchanged file changes nothing).
/// </summary>
/// <param name="Updated">The options to run with from now on.</param>
/// <param name="AuthorizationChanged">Users, NKeys, token, accounts, no_auth_user or TLS mapping changed: live clients are re-checked.</param>
/// <param name="RewiredAccounts">Accounts whose imports, or whose exporters' exports, changed (or that were added or removed).</param>
public sealed record ReloadPlan(BrokerOptions Updated, bool AuthorizationChanged, IReadOnlySet<string> RewiredAccounts)
{
    /// <summary>Nothing but simple options changed.</summary>
    public static ReloadPlan OptionsOnly(BrokerOptions updated) => new(updated, false, new HashSet<string>());
}
