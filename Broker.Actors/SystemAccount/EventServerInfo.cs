using System.Text.Json.Serialization;

namespace Broker.SystemAccount;

/// <summary>
/// nats-server's <c>ServerInfo</c>: which server sent a system message, with a sequence number that
/// rises by one per message it sends, so receivers can order and detect gaps.
/// </summary>
public sealed class EventServerInfo
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("host")] public string Host { get; init; } = "";
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    /// <summary>The cluster name (a gateway's name where there is no cluster block, as nats-server names it); left out when there is none.</summary>
    [JsonPropertyName("cluster"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Cluster { get; init; }
    [JsonPropertyName("ver")] public string Version { get; init; } = "";
    [JsonPropertyName("seq")] public ulong Seq { get; init; }
    [JsonPropertyName("jetstream")] public bool JetStream { get; init; }

    /// <summary>When the message was sent (RFC 3339 with nanoseconds, as Go writes it).</summary>
    [JsonPropertyName("time")] public string Time { get; init; } = "";
}
