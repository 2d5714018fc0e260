using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>One destination of an account subject mapping, with its share of traffic (percent).</summary>
public sealed class WeightedMapping
{
    [JsonPropertyName("subject"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subject { get; set; }

    /// <summary>0 means 100, as in Go.</summary>
    [JsonPropertyName("weight")] public byte Weight { get; set; }

    [JsonPropertyName("cluster")] public string? Cluster { get; set; }
}
