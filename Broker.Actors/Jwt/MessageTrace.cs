using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>Where an account's traced messages report to (<c>nats.trace</c>).</summary>
public sealed class MessageTrace
{
    [JsonPropertyName("dest")] public string? Destination { get; set; }
    [JsonPropertyName("sampling")] public int Sampling { get; set; }
}
