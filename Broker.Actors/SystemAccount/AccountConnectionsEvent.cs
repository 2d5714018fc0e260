using System.Text.Json.Serialization;

namespace Broker.SystemAccount;

/// <summary>
/// nats-server's <c>AccountNumConns</c> (type <c>io.nats.server.advisory.v1.account_connections</c>),
/// sent when an account's connection count changes. Unlike the client advisories, <c>received</c>
/// is what the account's clients sent and <c>sent</c> what they were given.
/// </summary>
public sealed class AccountConnectionsEvent
{
    public const string SchemaType = "io.nats.server.advisory.v1.account_connections";

    [JsonPropertyName("type")] public string Type { get; init; } = SchemaType;
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("timestamp")] public string Timestamp { get; init; } = "";
    [JsonPropertyName("server")] public EventServerInfo Server { get; init; } = new();
    [JsonPropertyName("acc")] public string Account { get; init; } = "";
    [JsonPropertyName("conns")] public int Connections { get; init; }
    [JsonPropertyName("leafnodes")] public int LeafNodes { get; init; }
    [JsonPropertyName("total_conns")] public int TotalConnections { get; init; }
    [JsonPropertyName("sent")] public DataStats Sent { get; init; } = new();
    [JsonPropertyName("received")] public DataStats Received { get; init; } = new();
    [JsonPropertyName("slow_consumers")] public long SlowConsumers { get; init; }
}
