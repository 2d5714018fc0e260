using System.Security.Cryptography.X509Certificates;

namespace Broker.Configuration;

/// <summary>Where account JWTs come from in operator mode (nats-server's <c>resolver</c>).</summary>
public enum ResolverKind
{
    /// <summary><c>MEMORY</c>: only the preloaded accounts, plus updates to them.</summary>
    Memory,

    /// <summary><c>URL(...)</c>: an account server (nats-account-server's API) asked over HTTP for accounts not yet loaded.</summary>
    Url,

    /// <summary><c>{ type: full }</c>: every JWT kept on disk, exchanged with the other full resolvers.</summary>
    Full,

    /// <summary><c>{ type: cache }</c>: a bounded set kept on disk, misses looked up from full resolvers.</summary>
    Cache,
}

/// <summary>
/// The <c>resolver</c> setting with nats-server 2.9's defaults: a fetch waits 1.9 s, a full
/// resolver syncs every minute and keeps any number of JWTs, a cache keeps 1000.
/// </summary>
public sealed record ResolverOptions(ResolverKind Kind)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMilliseconds(1900);
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);
    public const int DefaultCacheLimit = 1000;

    /// <summary>The account server's base URL (an account key is appended); for <see cref="ResolverKind.Url"/>.</summary>
    public string? Url { get; init; }

    /// <summary>Where <c>&lt;key&gt;.jwt</c> files live; for full and cache.</summary>
    public string? Directory { get; init; }

    /// <summary>Whether <c>$SYS.REQ.CLAIMS.DELETE</c> is honoured (full only).</summary>
    public bool AllowDelete { get; init; }

    /// <summary>How often a full resolver compares its store with the others' (the PACK exchange).</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary>The most JWTs kept; 0: no limit (full's default).</summary>
    public long Limit { get; init; }

    /// <summary>How long a cache keeps a JWT; zero: until evicted.</summary>
    public TimeSpan Ttl { get; init; }

    /// <summary>How long a fetch (HTTP, or a lookup request) may take.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary><c>resolver_tls</c>: how an https account server is trusted.</summary>
    public ResolverTlsOptions? Tls { get; init; }

    /// <summary>Whether this resolver takes part in the system account's claims requests.</summary>
    public bool IsNatsResolver => Kind is ResolverKind.Full or ResolverKind.Cache;
}

/// <summary><c>resolver_tls</c>: the CA an https account server must chain to, and a client certificate to present.</summary>
public sealed record ResolverTlsOptions(X509Certificate2Collection? Authorities, X509Certificate2? Certificate)
{
    /// <summary><c>insecure: true</c>: any server certificate is accepted.</summary>
    public bool Insecure { get; init; }
}
