using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>The <c>nats</c> object of a JWT of a kind this library does not model: kept as raw JSON.</summary>
public sealed class GenericPayload : ClaimPayload
{
    [JsonPropertyName("issuer_account")] public string? IssuerAccount { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Data { get; set; }
}
