using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>The <c>nats</c> object of an operator JWT.</summary>
public sealed class OperatorPayload : ClaimPayload
{
    /// <summary>Operator keys that may sign accounts on the operator's behalf.</summary>
    [JsonPropertyName("signing_keys")] public List<string>? SigningKeys { get; set; }

    [JsonPropertyName("account_server_url")] public string? AccountServerUrl { get; set; }
    [JsonPropertyName("operator_service_urls")] public List<string>? OperatorServiceUrls { get; set; }

    /// <summary>Public key of the system account.</summary>
    [JsonPropertyName("system_account")] public string? SystemAccount { get; set; }

    [JsonPropertyName("assert_server_version")] public string? AssertServerVersion { get; set; }

    /// <summary>Accounts must be signed by a signing key, not the operator's identity key.</summary>
    [JsonPropertyName("strict_signing_key_usage")] public bool StrictSigningKeyUsage { get; set; }
}
