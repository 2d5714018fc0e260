using System.Text.Json;
using System.Text.Json.Serialization;
using Broker.NKeys;

namespace Broker.Jwt;

/// <summary>A JWT of a kind not modelled here; any key may sign it.</summary>
public sealed class GenericClaims : JwtClaims
{
    [JsonPropertyName("nats")] public GenericPayload Nats { get; set; } = new();

    [JsonIgnore] public override string ClaimType => LegacyType ?? Nats.Type ?? ClaimTypes.Generic;
    [JsonIgnore] public override ClaimPayload Payload => Nats;
    [JsonIgnore] internal override ReadOnlySpan<NKeyType> IssuerTypes => [];
    [JsonIgnore] internal override NKeyType? SubjectType => null;

    internal override byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, JwtJsonContext.Default.GenericClaims);
}
