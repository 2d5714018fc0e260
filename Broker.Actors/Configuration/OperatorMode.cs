using System.Collections.Concurrent;
using Broker.Jwt;

namespace Broker.Configuration;

/// <summary>
/// Decentralized security: the trusted operator and the account JWTs it signed (from
/// <c>resolver_preload</c> or a resolver directory), all verified at load. The server holds no
/// user secrets: users bring their own JWTs, signed by these accounts. Account JWTs can be
/// replaced or added at run time through <c>$SYS.REQ.CLAIMS.UPDATE</c>.
/// </summary>
public sealed class OperatorMode(OperatorClaims @operator, IReadOnlyDictionary<string, AccountClaims> accounts, string? resolverDirectory)
{
    public OperatorClaims Operator { get; } = @operator;

    /// <summary>The current JWT of each known account, by public key.</summary>
    public ConcurrentDictionary<string, AccountClaims> Accounts { get; } = new(accounts, StringComparer.Ordinal);

    /// <summary>Where a directory resolver keeps <c>&lt;key&gt;.jwt</c> files; updates are written there. Null for MEMORY.</summary>
    public string? ResolverDirectory { get; } = resolverDirectory;
}
