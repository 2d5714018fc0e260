using System.Text.Json.Serialization;

namespace Broker.Monitoring;

/// <summary>The /connz body (nats-server's <c>Connz</c>).</summary>
public sealed class Connz
{
    [JsonPropertyName("server_id")] public string ServerId { get; init; } = "";
    [JsonPropertyName("now")] public string Now { get; init; } = "";

    /// <summary>Connections in this page.</summary>
    [JsonPropertyName("num_connections")] public int NumConnections { get; init; }

    /// <summary>Connections that matched, before paging.</summary>
    [JsonPropertyName("total")] public int Total { get; init; }

    [JsonPropertyName("offset")] public long Offset { get; init; }
    [JsonPropertyName("limit")] public long Limit { get; init; }
    [JsonPropertyName("connections")] public ConnInfo[] Connections { get; init; } = [];
}
