namespace Broker.Configuration;

/// <summary>
/// nats-server's <c>authorization { user, password, token, timeout }</c> inside <c>cluster</c> and
/// <c>gateway</c>: what a peer must prove before that link believes anything it says. Without one,
/// the link is open to anyone who can reach its port, as in nats-server.
/// </summary>
public sealed record LinkAuthorization
{
    public string? User { get; init; }
    public string? Password { get; init; }
    public string? Token { get; init; }

    /// <summary>
    /// A gateway's per-region users (a Broker extension: nats-server allows one user for all regions):
    /// each user is a region's name, and a region that authenticates as one may connect as that region only.
    /// </summary>
    public IReadOnlyList<LinkCredentials> Users { get; init; } = [];

    /// <summary>How long a peer has to prove itself (nats-server's <c>authorization.timeout</c>; its default is 2s as well).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>What this side presents when it dials, if its URL names none (as nats-server, which falls back to the block's own user).</summary>
    public LinkCredentials Credentials => Token is not null ? new LinkCredentials(Token, null) : new LinkCredentials(User ?? "", Password);

    /// <summary>What region <paramref name="region"/> presents when its URL names none: its own entry of <see cref="Users"/>, else <see cref="Credentials"/>.</summary>
    public LinkCredentials CredentialsOf(string region) => Users.FirstOrDefault(u => u.User == region) ?? Credentials;

    public override string ToString() =>
        Token is not null ? "authorization { token }" : Users.Count > 0 ? $"authorization {{ users: {string.Join(", ", Users.Select(u => u.User))} }}" : $"authorization {{ user: {User} }}";
}

/// <summary>The user info of a route or gateway URL: <c>user:pass@</c>, or <c>token@</c> (a user without a password).</summary>
public sealed record LinkCredentials(string User, string? Password)
{
    /// <summary>Never the secret itself: options get logged.</summary>
    public override string ToString() => Password is null ? "<token>" : $"{User}:<password>";
}
