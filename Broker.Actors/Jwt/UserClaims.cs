using System.Text.Json;
using System.Text.Json.Serialization;
using Broker.NKeys;

namespace Broker.Jwt;

/// <summary>A user JWT, signed by its account or one of the account's signing keys.</summary>
public sealed class UserClaims : JwtClaims
{
    [JsonPropertyName("nats")] public UserPayload Nats { get; set; } = new();

    [JsonIgnore] public override string ClaimType => ClaimTypes.User;
    [JsonIgnore] public override ClaimPayload Payload => Nats;
    [JsonIgnore] internal override ReadOnlySpan<NKeyType> IssuerTypes => [NKeyType.Account];
    [JsonIgnore] internal override NKeyType? SubjectType => NKeyType.User;

    internal override byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, JwtJsonContext.Default.UserClaims);

    /// <summary>The account the user belongs to: <c>issuer_account</c> when a signing key signed, else the issuer.</summary>
    [JsonIgnore] public string? AccountKey => string.IsNullOrEmpty(Nats.IssuerAccount) ? Issuer : Nats.IssuerAccount;

    /// <summary>The JWT alone authenticates (no nonce signature).</summary>
    [JsonIgnore] public bool IsBearerToken => Nats.BearerToken;

    /// <summary>New user claims with Go's defaults: subs, data and payload unlimited.</summary>
    public static UserClaims For(string userKey)
    {
        var claims = new UserClaims { Subject = userKey };
        claims.Nats.SetNoLimits();
        return claims;
    }
}
