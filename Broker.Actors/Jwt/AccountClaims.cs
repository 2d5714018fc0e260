using System.Text.Json;
using System.Text.Json.Serialization;
using Broker.NKeys;

namespace Broker.Jwt;

/// <summary>An account JWT, signed by an operator (or one of its signing keys) or by itself.</summary>
public sealed class AccountClaims : JwtClaims
{
    [JsonPropertyName("nats")] public AccountPayload Nats { get; set; } = new();

    [JsonIgnore] public override string ClaimType => ClaimTypes.Account;
    [JsonIgnore] public override ClaimPayload Payload => Nats;
    [JsonIgnore] internal override ReadOnlySpan<NKeyType> IssuerTypes => [NKeyType.Account, NKeyType.Operator];
    [JsonIgnore] internal override NKeyType? SubjectType => NKeyType.Account;

    internal override byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, JwtJsonContext.Default.AccountClaims);

    /// <summary>
    /// True when this account signed <paramref name="claims"/>: with its own key, or — for user and
    /// activation claims that name this account in <c>issuer_account</c> — with one of its signing
    /// keys (Go's <c>AccountClaims.DidSign</c>).
    /// </summary>
    public bool DidSign(JwtClaims claims)
    {
        if (claims.Issuer is null) return false;
        if (claims.Issuer == Subject) return true;
        var issuerAccount = claims switch
        {
            UserClaims user => user.Nats.IssuerAccount,
            ActivationClaims activation => activation.Nats.IssuerAccount,
            _ => null,
        };
        return issuerAccount == Subject && (Nats.SigningKeys?.Contains(claims.Issuer) ?? false);
    }

    /// <summary>The scope of signing key <paramref name="key"/>, or null for an unscoped or unknown key.</summary>
    public UserScope? ScopeOf(string? key) => Nats.SigningKeys?.Find(key)?.Scope;

    /// <summary>True when <paramref name="user"/> is revoked by this account's <c>revocations</c>.</summary>
    public bool IsRevoked(UserClaims user) =>
        Nats.Revocations is { } revocations && user.Subject is not null && revocations.IsRevoked(user.Subject, user.IssuedAt);

    /// <summary>New account claims with Go's defaults: every limit unlimited, JetStream off.</summary>
    public static AccountClaims For(string accountKey) => new()
    {
        Subject = accountKey,
        Nats = new AccountPayload { Limits = OperatorLimits.Unlimited() },
    };
}
