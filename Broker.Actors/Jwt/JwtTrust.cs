namespace Broker.Jwt;

/// <summary>
/// The chain checks nats-server makes on JWTs that already decoded and verified: an account is
/// vouched for by the operator, a user by its account, an activation by the exporting account,
/// each valid at <c>now</c> (a parameter, so tests and servers choose the clock).
/// </summary>
public static class JwtTrust
{
    /// <summary>An account JWT against the trusted operator.</summary>
    public static JwtVerdict CheckAccount(AccountClaims account, OperatorClaims trustedOperator, DateTimeOffset now)
    {
        if (!trustedOperator.DidSign(account)) return JwtVerdict.UntrustedIssuer;
        // With strict signing key usage the operator's identity key only signs the operator JWT.
        if (trustedOperator.Nats.StrictSigningKeyUsage && account.Issuer == trustedOperator.Subject)
            return JwtVerdict.UntrustedIssuer;
        return TimeVerdict(account, now);
    }

    /// <summary>A user JWT against the account it claims to belong to (checks in nats-server's order).</summary>
    public static JwtVerdict CheckUser(UserClaims user, AccountClaims account, DateTimeOffset now)
    {
        if (TimeVerdict(user, now) is var time && time != JwtVerdict.Valid) return time;
        if (user.AccountKey != account.Subject) return JwtVerdict.WrongAccount;
        if (!account.DidSign(user)) return JwtVerdict.UntrustedIssuer;
        if (user.Issuer != account.Subject && account.ScopeOf(user.Issuer) is not null && !user.Nats.HasNoPermissionsOrLimits)
            return JwtVerdict.ScopedUserHasPermissions;
        if (!account.IsValidAt(now)) return JwtVerdict.AccountNotValid;
        if (user.IsBearerToken && account.Nats.Limits is { DisallowBearer: true }) return JwtVerdict.BearerNotAllowed;
        if (account.IsRevoked(user)) return JwtVerdict.Revoked;
        return JwtVerdict.Valid;
    }

    /// <summary>
    /// An activation token against the exporting account and the account importing with it;
    /// <paramref name="export"/>, when given, adds its revocations of importers.
    /// </summary>
    public static JwtVerdict CheckActivation(ActivationClaims activation, AccountClaims exporter, string importerKey,
        DateTimeOffset now, Export? export = null)
    {
        if (activation.ExporterKey != exporter.Subject) return JwtVerdict.WrongAccount;
        if (!exporter.DidSign(activation)) return JwtVerdict.UntrustedIssuer;
        if (activation.Subject != importerKey) return JwtVerdict.WrongSubject;
        if (TimeVerdict(activation, now) is var time && time != JwtVerdict.Valid) return time;
        if (export?.Revocations is { } revoked && revoked.IsRevoked(importerKey, activation.IssuedAt)) return JwtVerdict.Revoked;
        return JwtVerdict.Valid;
    }

    private static JwtVerdict TimeVerdict(JwtClaims claims, DateTimeOffset now) =>
        claims.IsExpiredAt(now) ? JwtVerdict.Expired
        : claims.IsNotYetValidAt(now) ? JwtVerdict.NotYetValid
        : JwtVerdict.Valid;
}
