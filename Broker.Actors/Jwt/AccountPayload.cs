using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>The <c>nats</c> object of an account JWT.</summary>
public sealed class AccountPayload : ClaimPayload
{
    [JsonPropertyName("imports")] public List<Import>? Imports { get; set; }
    [JsonPropertyName("exports")] public List<Export>? Exports { get; set; }
    [JsonPropertyName("limits")] public OperatorLimits? Limits { get; set; }

    [JsonPropertyName("signing_keys"), JsonConverter(typeof(SigningKeyListConverter))]
    public SigningKeyList? SigningKeys { get; set; }

    /// <summary>Revoked users: user key (or "*") to the time at or before which their JWTs are revoked.</summary>
    [JsonPropertyName("revocations")] public RevocationList? Revocations { get; set; }

    /// <summary>Permissions of users whose JWT sets none.</summary>
    [JsonPropertyName("default_permissions")] public Permissions? DefaultPermissions { get; set; }

    [JsonPropertyName("mappings")] public Dictionary<string, List<WeightedMapping>>? Mappings { get; set; }
    [JsonPropertyName("authorization")] public ExternalAuthorization? Authorization { get; set; }
    [JsonPropertyName("trace")] public MessageTrace? Trace { get; set; }

    /// <summary>"system", "owner" or "account:KEY": who pays for cluster traffic.</summary>
    [JsonPropertyName("cluster_traffic")] public string? ClusterTraffic { get; set; }

    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("info_url")] public string? InfoUrl { get; set; }
}
