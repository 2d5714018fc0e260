using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>
/// Lets a user publish to reply subjects of requests it received: at most <see cref="MaxMessages"/>
/// responses within <see cref="Ttl"/>. Go writes both fields even when zero, and so do we.
/// </summary>
public sealed class ResponsePermission
{
    [JsonPropertyName("max"), JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int MaxMessages { get; set; }

    /// <summary>Nanoseconds, as Go's <c>time.Duration</c> marshals.</summary>
    [JsonPropertyName("ttl"), JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long TtlNanoseconds { get; set; }

    [JsonIgnore] public TimeSpan Ttl => TimeSpan.FromTicks(TtlNanoseconds / 100);
}
