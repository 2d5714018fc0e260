using System.Text.Json.Serialization;

namespace Broker.Monitoring;

/// <summary>One connection in /connz, with nats-server 2.9's field names, order and omissions.</summary>
public sealed class ConnInfo
{
    [JsonPropertyName("cid")] public ulong Cid { get; init; }
    [JsonPropertyName("kind")] public string Kind { get; init; } = "Client";
    /// <summary>A client's protocol; null (left out) for a gateway connection, as nats-server leaves it out for non-clients.</summary>
    [JsonPropertyName("type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; } = "nats";
    [JsonPropertyName("ip")] public string Ip { get; init; } = "";
    [JsonPropertyName("port")] public int Port { get; init; }
    [JsonPropertyName("start")] public string Start { get; init; } = "";
    [JsonPropertyName("last_activity")] public string LastActivity { get; init; } = "";

    [JsonPropertyName("stop"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Stop { get; init; }

    [JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    [JsonPropertyName("rtt")] public string Rtt { get; init; } = "0s";
    [JsonPropertyName("uptime")] public string Uptime { get; init; } = "";
    [JsonPropertyName("idle")] public string Idle { get; init; } = "";
    [JsonPropertyName("pending_bytes")] public long PendingBytes { get; init; }
    [JsonPropertyName("in_msgs")] public long InMsgs { get; init; }
    [JsonPropertyName("out_msgs")] public long OutMsgs { get; init; }
    [JsonPropertyName("in_bytes")] public long InBytes { get; init; }
    [JsonPropertyName("out_bytes")] public long OutBytes { get; init; }
    [JsonPropertyName("subscriptions")] public int Subscriptions { get; init; }

    [JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonPropertyName("lang"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Lang { get; init; }

    [JsonPropertyName("version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Version { get; init; }

    [JsonPropertyName("authorized_user"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AuthorizedUser { get; init; }

    [JsonPropertyName("account"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Account { get; init; }

    [JsonPropertyName("subscriptions_list"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? SubscriptionsList { get; init; }

    [JsonPropertyName("subscriptions_list_detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SubDetail[]? SubscriptionsListDetail { get; init; }
}
