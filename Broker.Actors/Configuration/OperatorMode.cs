using System.Collections.Frozen;
using Broker.Jwt;

namespace Broker.Configuration;

/// <summary>
/// Decentralized security as configured: the trusted operator and the account JWTs it signed (from
/// <c>resolver_preload</c> or a resolver directory), all verified at load. The server holds no
/// user secrets: users bring their own JWTs, signed by these accounts. Immutable: the accounts
/// replaced or added at run time (<c>$SYS.REQ.CLAIMS.UPDATE</c>, the <see cref="Resolver"/>'s
/// fetches) are the running server's <c>Security.OperatorAccounts</c>, which starts from these.
/// </summary>
public sealed class OperatorMode(OperatorClaims @operator, IReadOnlyDictionary<string, AccountClaims> accounts, string? resolverDirectory)
{
    public OperatorClaims Operator { get; } = @operator;

    /// <summary>The JWT of each account known at load, by public key.</summary>
    public IReadOnlyDictionary<string, AccountClaims> Accounts { get; } = accounts.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Where a directory resolver keeps <c>&lt;key&gt;.jwt</c> files; updates are written there. Null for MEMORY.</summary>
    public string? ResolverDirectory { get; } = resolverDirectory;

    /// <summary>The configured resolver; MEMORY when none was read from a file.</summary>
    public ResolverOptions Resolver { get; init; } = new(ResolverKind.Memory);

    /// <summary><c>resolver_pinned_accounts</c>: when set, only users of these accounts may connect.</summary>
    public IReadOnlySet<string>? PinnedAccounts { get; init; }

    /// <summary>Whether users of <paramref name="account"/> may connect under <c>resolver_pinned_accounts</c>.</summary>
    public bool IsPinnedOut(string account) => PinnedAccounts is { Count: > 0 } pinned && !pinned.Contains(account);
}
