using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>The <c>nats</c> object of an activation JWT: which export the subject account may import.</summary>
public sealed class ActivationPayload : ClaimPayload
{
    /// <summary>The exported subject being activated.</summary>
    [JsonPropertyName("subject")] public string? ImportSubject { get; set; }

    /// <summary>"stream" or "service".</summary>
    [JsonPropertyName("kind")] public string? ImportType { get; set; }

    /// <summary>The exporting account, set when one of its signing keys signed the activation.</summary>
    [JsonPropertyName("issuer_account")] public string? IssuerAccount { get; set; }
}
