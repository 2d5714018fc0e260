using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>
/// Just enough of a payload to pick the claims class: the legacy top-level <c>type</c> and the
/// <c>nats</c> object's <c>type</c> and <c>version</c> (Go's <c>identifier</c>).
/// </summary>
internal sealed class ClaimIdentifier
{
    internal sealed class Generic
    {
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("version")] public int Version { get; set; }
    }

    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("nats")] public Generic? Nats { get; set; }

    public string? Kind => !string.IsNullOrEmpty(Type) ? Type : Nats?.Type;

    public int Version => !string.IsNullOrEmpty(Type) ? 1 : Nats?.Version ?? 0;
}
