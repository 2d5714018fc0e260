using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>A stream or service this account takes from another (<c>nats.imports[]</c>).</summary>
public sealed class Import
{
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>The subject as the publisher sees it: the exporter's for a stream, the requester's for a service.</summary>
    [JsonPropertyName("subject")] public string? Subject { get; set; }

    /// <summary>The exporting account's public key.</summary>
    [JsonPropertyName("account")] public string? Account { get; set; }

    /// <summary>An activation JWT (or a URL to one) when the export requires a token.</summary>
    [JsonPropertyName("token")] public string? Token { get; set; }

    /// <summary>Deprecated remapping target; <see cref="LocalSubject"/> replaces it.</summary>
    [JsonPropertyName("to")] public string? To { get; set; }

    [JsonPropertyName("local_subject")] public string? LocalSubject { get; set; }

    /// <summary>"stream" or "service".</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    [JsonPropertyName("share")] public bool Share { get; set; }
    [JsonPropertyName("allow_trace")] public bool AllowTrace { get; set; }

    [JsonIgnore] public bool IsService => Type == ExportTypes.Service;
    [JsonIgnore] public bool IsStream => Type == ExportTypes.Stream;
}
