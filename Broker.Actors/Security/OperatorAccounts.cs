using System.Collections.Concurrent;
using Broker.Configuration;
using Broker.Jwt;

namespace Broker.Security;

/// <summary>
/// The operator's accounts as they are now: the JWTs loaded at start (<see cref="OperatorMode.Accounts"/>,
/// which stay as loaded), then those the system account's claims handling applies (updates,
/// resolver fetches and packs) or deletes. One per server, made with its <see cref="Runtime.ServerContext"/>;
/// written only on the system events actor, read by authentication on connections' threads.
/// </summary>
public sealed class OperatorAccounts(OperatorMode mode)
{
    private readonly ConcurrentDictionary<string, AccountClaims> _claims = new(mode.Accounts, StringComparer.Ordinal);

    /// <summary>The operator and resolver as configured.</summary>
    public OperatorMode Mode { get; } = mode;

    /// <summary>The current JWT of an account known by its public key.</summary>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out AccountClaims claims) => _claims.TryGetValue(key, out claims);

    public bool ContainsKey(string key) => _claims.ContainsKey(key);

    /// <summary>The current JWT of a known account; throws for an unknown one.</summary>
    public AccountClaims this[string key] => _claims[key];

    /// <summary>The current JWT of <paramref name="key"/>, null when not known.</summary>
    public AccountClaims? Find(string key) => _claims.GetValueOrDefault(key);

    /// <summary>A copy of every known account's current JWT, by public key.</summary>
    public Dictionary<string, AccountClaims> Snapshot() => new(_claims, StringComparer.Ordinal);

    /// <summary>Puts <paramref name="claims"/> in place as the account's current JWT (the system events actor only).</summary>
    internal void Set(string key, AccountClaims claims) => _claims[key] = claims;

    /// <summary>Forgets the account: new connections of it are refused (the system events actor only).</summary>
    internal bool Remove(string key) => _claims.TryRemove(key, out _);

    /// <summary>
    /// Fetches an account not yet known from the resolver and applies it; true once the account is
    /// known. Set by the system events actor when it starts (again if it restarts); null when
    /// nothing can be fetched (MEMORY, or not started).
    /// </summary>
    public Func<string, Task<bool>>? LoadAccount { get; internal set; }
}
