namespace Broker.Jwt;

/// <summary>The outcome of checking a decoded JWT against the claims that should vouch for it.</summary>
public enum JwtVerdict
{
    Valid,

    /// <summary>Past its <c>exp</c>.</summary>
    Expired,

    /// <summary>Before its <c>nbf</c>.</summary>
    NotYetValid,

    /// <summary>Signed by a key that is neither the trusted identity nor one of its signing keys.</summary>
    UntrustedIssuer,

    /// <summary>A user or activation that names another account than the one it is checked against.</summary>
    WrongAccount,

    /// <summary>An activation whose subject is not the importing account.</summary>
    WrongSubject,

    /// <summary>Signed by a scoped signing key yet carrying permissions or limits of its own.</summary>
    ScopedUserHasPermissions,

    /// <summary>The user's account JWT is expired or not yet valid.</summary>
    AccountNotValid,

    /// <summary>A bearer-token user in an account that disallows them.</summary>
    BearerNotAllowed,

    /// <summary>Revoked by the account's (or export's) revocation list.</summary>
    Revoked,
}
