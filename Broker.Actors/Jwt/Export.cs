using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>A stream or service an account offers to others (<c>nats.exports[]</c>).</summary>
public sealed class Export
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("subject")] public string? Subject { get; set; }

    /// <summary>"stream" or "service".</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>Importers need an activation token signed by this account.</summary>
    [JsonPropertyName("token_req")] public bool TokenRequired { get; set; }

    /// <summary>Activations revoked: importing account key (or "*") to the time before which they are invalid.</summary>
    [JsonPropertyName("revocations")] public RevocationList? Revocations { get; set; }

    /// <summary>"Singleton" (default), "Stream" or "Chunked".</summary>
    [JsonPropertyName("response_type")] public string? ResponseType { get; set; }

    /// <summary>Nanoseconds, as Go's <c>time.Duration</c> marshals.</summary>
    [JsonPropertyName("response_threshold")] public long ResponseThresholdNanoseconds { get; set; }

    [JsonPropertyName("service_latency")] public ServiceLatency? Latency { get; set; }
    [JsonPropertyName("account_token_position")] public uint AccountTokenPosition { get; set; }
    [JsonPropertyName("advertise")] public bool Advertise { get; set; }
    [JsonPropertyName("allow_trace")] public bool AllowTrace { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("info_url")] public string? InfoUrl { get; set; }

    [JsonIgnore] public bool IsService => Type == ExportTypes.Service;
    [JsonIgnore] public bool IsStream => Type == ExportTypes.Stream;
}
