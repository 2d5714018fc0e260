using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>The fields every <c>nats</c> object shares (Go's <c>GenericFields</c>).</summary>
public abstract class ClaimPayload
{
    [JsonPropertyName("tags")] public List<string>? Tags { get; set; }

    /// <summary>The kind of claims ("operator", "account", "user", "activation", ...).</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>2 for the current JWT format; 0 when absent (version 1 tokens).</summary>
    [JsonPropertyName("version")] public int Version { get; set; }
}
