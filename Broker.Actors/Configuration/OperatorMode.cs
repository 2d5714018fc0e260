using System.Collections.Concurrent;
using Broker.Jwt;

namespace Broker.Configuration;

/// <summary>
/// Decentralized security: the trusted operator and the account JWTs it signed (from
/// <c>resolver_preload</c> or a resolver directory), all verified at load. The server holds no
/// user secrets: users bring their own JWTs, signed by these accounts. Account JWTs can be
/// replaced or added at run time through <c>$SYS.REQ.CLAIMS.UPDATE</c>, and accounts not yet
/// known are asked of the <see cref="Resolver"/> when one of their users connects.
/// </summary>
public sealed class OperatorMode(OperatorClaims @operator, IReadOnlyDictionary<string, AccountClaims> accounts, string? resolverDirectory)
{
    public OperatorClaims Operator { get; } = @operator;

    /// <summary>The current JWT of each known account, by public key.</summary>
    public ConcurrentDictionary<string, AccountClaims> Accounts { get; } = new(accounts, StringComparer.Ordinal);

    /// <summary>Where a directory resolver keeps <c>&lt;key&gt;.jwt</c> files; updates are written there. Null for MEMORY.</summary>
    public string? ResolverDirectory { get; } = resolverDirectory;

    /// <summary>The configured resolver; MEMORY when none was read from a file.</summary>
    public ResolverOptions Resolver { get; init; } = new(ResolverKind.Memory);

    /// <summary><c>resolver_pinned_accounts</c>: when set, only users of these accounts may connect.</summary>
    public IReadOnlySet<string>? PinnedAccounts { get; init; }

    /// <summary>
    /// Set by the running server: fetches an account not yet known from the resolver and applies
    /// it; true once the account is known. Null when nothing can be fetched (MEMORY, or not started).
    /// </summary>
    public Func<string, Task<bool>>? LoadAccount { get; set; }

    /// <summary>Whether users of <paramref name="account"/> may connect under <c>resolver_pinned_accounts</c>.</summary>
    public bool IsPinnedOut(string account) => PinnedAccounts is { Count: > 0 } pinned && !pinned.Contains(account);
}
