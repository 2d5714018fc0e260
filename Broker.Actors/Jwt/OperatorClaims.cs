using System.Text.Json;
using System.Text.Json.Serialization;
using Broker.NKeys;

namespace Broker.Jwt;

/// <summary>An operator JWT: self-signed, the root of trust a server is configured with.</summary>
public sealed class OperatorClaims : JwtClaims
{
    [JsonPropertyName("nats")] public OperatorPayload Nats { get; set; } = new();

    [JsonIgnore] public override string ClaimType => ClaimTypes.Operator;
    [JsonIgnore] public override ClaimPayload Payload => Nats;
    [JsonIgnore] internal override ReadOnlySpan<NKeyType> IssuerTypes => [NKeyType.Operator];
    [JsonIgnore] internal override NKeyType? SubjectType => NKeyType.Operator;

    internal override byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, JwtJsonContext.Default.OperatorClaims);

    /// <summary>True when <paramref name="key"/> is this operator's identity or one of its signing keys.</summary>
    public bool IsTrustedIssuer(string? key) =>
        key is not null && (key == Subject || (Nats.SigningKeys?.Contains(key) ?? false));

    /// <summary>True when this operator signed <paramref name="claims"/> (with its identity or a signing key).</summary>
    public bool DidSign(JwtClaims claims) => IsTrustedIssuer(claims.Issuer);
}
