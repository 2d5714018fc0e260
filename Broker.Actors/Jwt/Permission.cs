using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>Subjects allowed and denied for publishing or subscribing (a subscribe entry may be "subject queue").</summary>
public sealed class Permission
{
    [JsonPropertyName("allow")] public List<string>? Allow { get; set; }
    [JsonPropertyName("deny")] public List<string>? Deny { get; set; }

    [JsonIgnore] public bool IsEmpty => (Allow is null || Allow.Count == 0) && (Deny is null || Deny.Count == 0);
}
