using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>
/// What a user may do and how much (Go's <c>UserPermissionLimits</c>): the body of a user JWT and
/// the template of a scoped signing key. Limits of -1 mean unlimited; absent ones read as 0, as
/// Go decodes them (nsc and @nats-io/jwt always write -1 for "no limit"). It derives from
/// <see cref="ClaimPayload"/> because a user JWT's <c>nats</c> object is this plus the generic
/// fields, flattened as in Go; in a scope's template those generic fields simply stay unset.
/// </summary>
public class UserPermissionLimits : ClaimPayload
{
    [JsonPropertyName("pub")] public Permission? Pub { get; set; }
    [JsonPropertyName("sub")] public Permission? Sub { get; set; }
    [JsonPropertyName("resp")] public ResponsePermission? Resp { get; set; }

    /// <summary>Maximum subscriptions.</summary>
    [JsonPropertyName("subs")] public long Subs { get; set; }

    /// <summary>Maximum bytes.</summary>
    [JsonPropertyName("data")] public long Data { get; set; }

    /// <summary>Maximum message payload.</summary>
    [JsonPropertyName("payload")] public long Payload { get; set; }

    /// <summary>Source networks (CIDR) the user may connect from.</summary>
    [JsonPropertyName("src"), JsonConverter(typeof(CidrListConverter))] public List<string>? Src { get; set; }

    [JsonPropertyName("times")] public List<TimeRange>? Times { get; set; }

    /// <summary>IANA time zone of <see cref="Times"/>.</summary>
    [JsonPropertyName("times_location")] public string? TimesLocation { get; set; }

    /// <summary>The JWT alone authenticates: the server skips the nonce signature.</summary>
    [JsonPropertyName("bearer_token")] public bool BearerToken { get; set; }

    /// <summary>STANDARD, WEBSOCKET, LEAFNODE, LEAFNODE_WS, MQTT, MQTT_WS, IN_PROCESS; empty allows all.</summary>
    [JsonPropertyName("allowed_connection_types")] public List<string>? AllowedConnectionTypes { get; set; }

    /// <summary>
    /// True when no permission or limit is set: a user signed by a scoped signing key must be
    /// empty like this, since the scope's template supplies them (Go's <c>ValidateScopedSigner</c>).
    /// </summary>
    [JsonIgnore]
    public bool HasNoPermissionsOrLimits =>
        (Pub is null || Pub.IsEmpty) && (Sub is null || Sub.IsEmpty) && Resp is null
        && Subs == 0 && Data == 0 && Payload == 0
        && (Src is null || Src.Count == 0) && (Times is null || Times.Count == 0) && string.IsNullOrEmpty(TimesLocation)
        && !BearerToken && (AllowedConnectionTypes is null || AllowedConnectionTypes.Count == 0);

    /// <summary>Sets subs, data and payload to -1, as Go's <c>NewUserClaims</c> and <c>NewUserScope</c> do.</summary>
    public void SetNoLimits()
    {
        Subs = JwtLimits.NoLimit;
        Data = JwtLimits.NoLimit;
        Payload = JwtLimits.NoLimit;
    }
}
