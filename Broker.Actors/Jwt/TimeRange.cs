using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>A daily window ("08:00:00" to "17:00:00") in which a user may connect.</summary>
public sealed class TimeRange
{
    [JsonPropertyName("start")] public string? Start { get; set; }
    [JsonPropertyName("end")] public string? End { get; set; }
}
