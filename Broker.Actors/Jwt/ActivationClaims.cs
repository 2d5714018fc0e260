using System.Text.Json;
using System.Text.Json.Serialization;
using Broker.NKeys;

namespace Broker.Jwt;

/// <summary>
/// An activation JWT: the exporting account (issuer) lets the subject account import an export
/// that requires a token.
/// </summary>
public sealed class ActivationClaims : JwtClaims
{
    [JsonPropertyName("nats")] public ActivationPayload Nats { get; set; } = new();

    [JsonIgnore] public override string ClaimType => ClaimTypes.Activation;
    [JsonIgnore] public override ClaimPayload Payload => Nats;
    [JsonIgnore] internal override ReadOnlySpan<NKeyType> IssuerTypes => [NKeyType.Account, NKeyType.Operator];
    [JsonIgnore] internal override NKeyType? SubjectType => NKeyType.Account;

    internal override byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, JwtJsonContext.Default.ActivationClaims);

    /// <summary>The exporting account: <c>issuer_account</c> when a signing key signed, else the issuer.</summary>
    [JsonIgnore] public string? ExporterKey => string.IsNullOrEmpty(Nats.IssuerAccount) ? Issuer : Nats.IssuerAccount;
}
