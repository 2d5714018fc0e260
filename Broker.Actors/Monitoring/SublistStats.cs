using System.Text.Json.Serialization;
using Broker.Accounts;

namespace Broker.Monitoring;

/// <summary>
/// nats-server's subscription index statistics. Only <c>num_subscriptions</c> is kept here: the
/// others (inserts, removes, matches, cache hits, fan-out) would need counting inside the index
/// and on the publish path, and stay 0 so tools that read them find the fields.
/// </summary>
public sealed class SublistStats
{
    [JsonPropertyName("num_subscriptions")] public long NumSubscriptions { get; init; }
    [JsonPropertyName("num_cache")] public long NumCache { get; init; }
    [JsonPropertyName("num_inserts")] public long NumInserts { get; init; }
    [JsonPropertyName("num_removes")] public long NumRemoves { get; init; }
    [JsonPropertyName("num_matches")] public long NumMatches { get; init; }
    [JsonPropertyName("cache_hit_rate")] public double CacheHitRate { get; init; }
    [JsonPropertyName("max_fanout")] public long MaxFanout { get; init; }
    [JsonPropertyName("avg_fanout")] public double AvgFanout { get; init; }

    public static SublistStats Of(Account account) => new() { NumSubscriptions = account.Index.SubscriptionCount };

    /// <summary>The statistics part of a /subsz body.</summary>
    public static SublistStats Of(Subsz subsz) => new() { NumSubscriptions = subsz.NumSubscriptions };
}
