using System.Text.Json.Serialization;

namespace Broker.Monitoring;

/// <summary>
/// One route of /routez (nats-server 2.9's <c>RouteInfo</c>, same keys and order): here a peer
/// node of the Akka cluster. nats-server's route permissions (<c>import</c>, <c>export</c>) are
/// omitted as it omits them when none are set.
/// </summary>
public sealed class RouteInfo
{
    [JsonPropertyName("rid")] public ulong Rid { get; init; }

    /// <summary>The peer's node id (its Akka address): what identifies a node in this cluster.</summary>
    [JsonPropertyName("remote_id")] public string RemoteId { get; init; } = "";

    [JsonPropertyName("did_solicit")] public bool DidSolicit { get; init; }
    [JsonPropertyName("is_configured")] public bool IsConfigured { get; init; }
    [JsonPropertyName("ip")] public string Ip { get; init; } = "";
    [JsonPropertyName("port")] public int Port { get; init; }
    [JsonPropertyName("start")] public string Start { get; init; } = "";
    [JsonPropertyName("last_activity")] public string LastActivity { get; init; } = "";
    [JsonPropertyName("rtt")] public string Rtt { get; init; } = "";
    [JsonPropertyName("uptime")] public string Uptime { get; init; } = "";
    [JsonPropertyName("idle")] public string Idle { get; init; } = "";
    [JsonPropertyName("pending_size")] public int PendingSize { get; init; }
    [JsonPropertyName("in_msgs")] public long InMsgs { get; init; }
    [JsonPropertyName("out_msgs")] public long OutMsgs { get; init; }
    [JsonPropertyName("in_bytes")] public long InBytes { get; init; }
    [JsonPropertyName("out_bytes")] public long OutBytes { get; init; }
    [JsonPropertyName("subscriptions")] public int Subscriptions { get; init; }

    [JsonPropertyName("subscriptions_list"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? SubscriptionsList { get; init; }

    [JsonPropertyName("subscriptions_list_detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SubDetail[]? SubscriptionsListDetail { get; init; }
}
