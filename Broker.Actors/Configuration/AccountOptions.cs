namespace Broker.Configuration;

/// <summary>One account of the <c>accounts { }</c> block: its users and what it shares with other accounts.</summary>
public sealed record AccountOptions(string Name)
{
    public IReadOnlyList<UserOptions> Users { get; init; } = [];
    public IReadOnlyList<ExportOptions> Exports { get; init; } = [];
    public IReadOnlyList<ImportOptions> Imports { get; init; } = [];
    public AccountLimits Limits { get; init; } = AccountLimits.None;

    /// <summary>nats-server's <c>nkey</c>: the account's public key (A...), validated and kept as its identity.</summary>
    public string? Nkey { get; init; }
}

/// <summary>A user with a password (plain or bcrypt), bound to an account (<c>$G</c> for <c>authorization.users</c>).</summary>
public sealed record UserOptions(string Name, string Password, string Account)
{
    public PermissionsOptions? Permissions { get; init; }

    /// <summary>An NKey user: its public key ("U..."); it proves itself by signing the INFO nonce, and has no password.</summary>
    public string? Nkey { get; init; }
}

public enum ExportKind { Stream, Service }

/// <summary>How many responses a service request may have (nats-server <c>response_type</c>).</summary>
public enum ResponseType { Singleton, Stream, Chunked }

/// <summary>
/// A subject an account offers to others. <see cref="Accounts"/> makes it private to the named
/// accounts; null means public.
/// </summary>
public sealed record ExportOptions(ExportKind Kind, string Subject)
{
    public IReadOnlyList<string>? Accounts { get; init; }
    public ResponseType ResponseType { get; init; } = ResponseType.Singleton;

    /// <summary>How long a service's reply mapping waits for (more) responses; nats-server's default is 2 minutes.</summary>
    public TimeSpan ResponseThreshold { get; init; } = TimeSpan.FromMinutes(2);

    public LatencyOptions? Latency { get; init; }

    public bool AllowsAccount(string account) => Accounts is null || Accounts.Contains(account, StringComparer.Ordinal);
}

/// <summary>Service latency tracking: the percentage of requests sampled and the subject the samples go to.</summary>
public sealed record LatencyOptions(int SamplingPercent, string Subject);

/// <summary>
/// A subject taken from another account. Streams arrive under <see cref="Prefix"/> or remapped
/// <see cref="To"/>; a service is requested locally on <see cref="To"/> (default: its own subject).
/// </summary>
public sealed record ImportOptions(ExportKind Kind, string Account, string Subject)
{
    public string? Prefix { get; init; }
    public string? To { get; init; }
}
