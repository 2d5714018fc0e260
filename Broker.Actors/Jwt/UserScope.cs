using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>
/// A scoped signing key of an account: users it signs get the permissions and limits of
/// <see cref="Template"/> and may carry none of their own.
/// </summary>
public sealed class UserScope
{
    /// <summary>The kind @nats-io/jwt and nsc write.</summary>
    public const string UserScopeKind = "user_scope";

    [JsonPropertyName("kind")] public string? Kind { get; set; } = UserScopeKind;
    [JsonPropertyName("key")] public string? Key { get; set; }
    [JsonPropertyName("role")] public string? Role { get; set; }
    [JsonPropertyName("template")] public UserPermissionLimits Template { get; set; } = new();
    [JsonPropertyName("description")] public string? Description { get; set; }
}
