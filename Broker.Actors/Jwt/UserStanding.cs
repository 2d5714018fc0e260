namespace Broker.Jwt;

/// <summary>Where a connected user stands once its account's JWT was replaced.</summary>
public enum UserStandingVerdict
{
    /// <summary>Still admitted.</summary>
    Good,

    /// <summary>A bearer user, and the account now sets <c>disallow_bearer</c>: <c>-ERR 'Authorization Violation'</c>.</summary>
    BearerDisallowed,

    /// <summary>Revoked by the account: <c>-ERR 'User Authentication Revoked'</c>.</summary>
    Revoked,

    /// <summary>Signed by a signing key the account dropped or re-scoped: closed without an -ERR.</summary>
    SignerWithdrawn,
}

/// <summary>
/// The user-JWT re-check of nats-server 2.9's <c>updateAccountClaimsWithRefresh</c>, one copy for
/// every kind of connection a user JWT authenticated (clients and leaf links alike).
/// </summary>
public static class UserStanding
{
    public static UserStandingVerdict Of(UserClaims user, AccountClaims account, IReadOnlySet<string> withdrawnSigners)
    {
        if (account.Nats.Limits is { DisallowBearer: true } && user.IsBearerToken) return UserStandingVerdict.BearerDisallowed;
        // Go's IsClaimRevoked: a JWT without iat counts as revoked once the account revokes anyone.
        if (account.Nats.Revocations is { Count: > 0 } && (user.IssuedAt == 0 || account.IsRevoked(user))) return UserStandingVerdict.Revoked;
        if (user.Issuer is { } signer && signer != account.Subject && withdrawnSigners.Contains(signer)) return UserStandingVerdict.SignerWithdrawn;
        return UserStandingVerdict.Good;
    }
}
