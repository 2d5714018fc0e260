using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>Publish, subscribe and response permissions: an account's <c>default_permissions</c>.</summary>
public sealed class Permissions
{
    [JsonPropertyName("pub")] public Permission? Pub { get; set; }
    [JsonPropertyName("sub")] public Permission? Sub { get; set; }
    [JsonPropertyName("resp")] public ResponsePermission? Resp { get; set; }
}
