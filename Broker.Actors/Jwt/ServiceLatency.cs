using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>Latency tracking of an exported service: a sampling percentage and where results go.</summary>
public sealed class ServiceLatency
{
    [JsonPropertyName("sampling")] public int Sampling { get; set; }

    [JsonPropertyName("results"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Results { get; set; }
}
