using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>
/// The limits an operator puts on an account (<c>nats.limits</c>). Go flattens its NATS, account
/// and JetStream limit structs into this one JSON object, hence the JetStream fields inherited
/// here. -1 means unlimited; absent reads as 0, as in Go.
/// </summary>
public sealed class OperatorLimits : JetStreamLimits
{
    /// <summary>Maximum subscriptions.</summary>
    [JsonPropertyName("subs")] public long Subs { get; set; }

    /// <summary>Maximum bytes.</summary>
    [JsonPropertyName("data")] public long Data { get; set; }

    /// <summary>Maximum message payload.</summary>
    [JsonPropertyName("payload")] public long Payload { get; set; }

    /// <summary>Maximum imports.</summary>
    [JsonPropertyName("imports")] public long Imports { get; set; }

    /// <summary>Maximum exports.</summary>
    [JsonPropertyName("exports")] public long Exports { get; set; }

    /// <summary>Whether exports may use wildcards.</summary>
    [JsonPropertyName("wildcards")] public bool WildcardExports { get; set; }

    /// <summary>User JWTs of this account may not be bearer tokens.</summary>
    [JsonPropertyName("disallow_bearer")] public bool DisallowBearer { get; set; }

    /// <summary>Maximum client connections.</summary>
    [JsonPropertyName("conn")] public long Connections { get; set; }

    /// <summary>Maximum leaf node connections.</summary>
    [JsonPropertyName("leaf")] public long LeafNodeConnections { get; set; }

    [JsonPropertyName("tiered_limits")] public Dictionary<string, JetStreamLimits>? TieredLimits { get; set; }

    /// <summary>Everything unlimited, as Go's <c>NewAccountClaims</c> starts (JetStream off).</summary>
    public static OperatorLimits Unlimited() => new()
    {
        Subs = JwtLimits.NoLimit, Data = JwtLimits.NoLimit, Payload = JwtLimits.NoLimit,
        Imports = JwtLimits.NoLimit, Exports = JwtLimits.NoLimit, WildcardExports = true,
        Connections = JwtLimits.NoLimit, LeafNodeConnections = JwtLimits.NoLimit,
    };
}
