using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>An account's auth callout settings (<c>nats.authorization</c>).</summary>
public sealed class ExternalAuthorization
{
    /// <summary>Users that bypass the callout (the auth service itself).</summary>
    [JsonPropertyName("auth_users")] public List<string>? AuthUsers { get; set; }

    [JsonPropertyName("allowed_accounts")] public List<string>? AllowedAccounts { get; set; }

    /// <summary>Curve key to encrypt requests to the auth service with.</summary>
    [JsonPropertyName("xkey")] public string? XKey { get; set; }
}
