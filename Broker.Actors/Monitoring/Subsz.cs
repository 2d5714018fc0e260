using System.Text.Json.Serialization;

namespace Broker.Monitoring;

/// <summary>
/// The /subsz body when it lists subscriptions: nats-server's <c>Subsz</c>, whose embedded
/// <c>SublistStats</c> fields sit at the top level between <c>now</c> and <c>total</c>.
/// </summary>
public sealed class Subsz
{
    [JsonPropertyName("server_id")] public string ServerId { get; init; } = "";
    [JsonPropertyName("now")] public string Now { get; init; } = "";
    [JsonPropertyName("num_subscriptions")] public long NumSubscriptions { get; init; }
    [JsonPropertyName("num_cache")] public long NumCache { get; init; }
    [JsonPropertyName("num_inserts")] public long NumInserts { get; init; }
    [JsonPropertyName("num_removes")] public long NumRemoves { get; init; }
    [JsonPropertyName("num_matches")] public long NumMatches { get; init; }
    [JsonPropertyName("cache_hit_rate")] public double CacheHitRate { get; init; }
    [JsonPropertyName("max_fanout")] public long MaxFanout { get; init; }
    [JsonPropertyName("avg_fanout")] public double AvgFanout { get; init; }

    /// <summary>Subscriptions in this page (nats-server counts the page, not all matches).</summary>
    [JsonPropertyName("total")] public int Total { get; init; }

    [JsonPropertyName("offset")] public long Offset { get; init; }
    [JsonPropertyName("limit")] public long Limit { get; init; }
    /// <summary>Omitted when the page is empty, as Go's <c>omitempty</c> does.</summary>
    [JsonPropertyName("subscriptions_list"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SubDetail[]? SubscriptionsList { get; init; }
}
