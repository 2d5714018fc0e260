using System.Text.Json.Serialization;

namespace Broker.Accounts;

/// <summary>nats-server's <c>io.nats.server.metric.v1.service_latency</c> message; durations in nanoseconds.</summary>
public sealed class ServiceLatencySample
{
    public const string SchemaType = "io.nats.server.metric.v1.service_latency";

    [JsonPropertyName("type")] public string Type { get; init; } = SchemaType;
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("timestamp")] public DateTime Timestamp { get; init; }
    [JsonPropertyName("status")] public int Status { get; init; }
    [JsonPropertyName("description")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Description { get; init; }
    [JsonPropertyName("requestor")] public LatencyClient? Requestor { get; init; }
    [JsonPropertyName("responder")] public LatencyClient? Responder { get; init; }
    [JsonPropertyName("start")] public DateTime Start { get; init; }
    [JsonPropertyName("service")] public long ServiceNanos { get; init; }
    [JsonPropertyName("system")] public long SystemNanos { get; init; }
    [JsonPropertyName("total")] public long TotalNanos { get; init; }
}

/// <summary>
/// One side of a sampled request, in nats-server's field order. The requestor shows only its
/// account and round trip (nats-server shares more only for imports with <c>share</c>); the
/// responder shows its client.
/// </summary>
public sealed class LatencyClient
{
    [JsonPropertyName("start")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Start { get; init; }
    [JsonPropertyName("host")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Host { get; init; }
    [JsonPropertyName("id")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong ClientId { get; init; }
    [JsonPropertyName("acc")] public string Account { get; init; } = "";
    [JsonPropertyName("user")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? User { get; init; }
    [JsonPropertyName("name")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Name { get; init; }
    [JsonPropertyName("lang")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Lang { get; init; }
    [JsonPropertyName("ver")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Version { get; init; }
    [JsonPropertyName("rtt")] public long RttNanos { get; init; }
    [JsonPropertyName("server")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Server { get; init; }
    [JsonPropertyName("kind")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Kind { get; init; }
    [JsonPropertyName("client_type")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ClientType { get; init; }
}
