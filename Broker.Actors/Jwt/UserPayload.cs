using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>The <c>nats</c> object of a user JWT.</summary>
public sealed class UserPayload : UserPermissionLimits
{
    /// <summary>The account this user belongs to, set when a signing key (not the account) signed it.</summary>
    [JsonPropertyName("issuer_account")] public string? IssuerAccount { get; set; }
}
