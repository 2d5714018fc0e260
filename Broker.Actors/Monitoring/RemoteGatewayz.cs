using System.Text.Json.Serialization;

namespace Broker.Monitoring;

/// <summary>
/// One gateway connection of /gatewayz (nats-server 2.9's <c>RemoteGatewayz</c>): whether its
/// region is configured, the connection as /connz shows one (kind <c>Gateway</c>), and with
/// <c>accs=1</c> the accounts whose interest crosses it.
/// </summary>
public sealed class RemoteGatewayz
{
    [JsonPropertyName("configured")] public bool Configured { get; init; }

    [JsonPropertyName("connection"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConnInfo? Connection { get; init; }

    [JsonPropertyName("accounts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AccountGatewayz[]? Accounts { get; init; }
}

/// <summary>
/// One account of a gateway connection with <c>accs=1</c> (nats-server's <c>AccountGatewayz</c>).
/// Our links are interest-only from the start: a region tells the others its whole interest and
/// every change, so <c>interest_mode</c> is always <c>Interest-Only</c>, and the fields of
/// nats-server's optimistic mode (<c>no_interest_count</c>, <c>interest_only_threshold</c>, the
/// count at which it switches) have nothing to show and are left out.
/// </summary>
public sealed class AccountGatewayz
{
    public const string InterestOnly = "Interest-Only";

    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("interest_mode")] public string InterestMode { get; init; } = InterestOnly;

    /// <summary>(subject, queue) interests of the account that cross this connection, queue groups included.</summary>
    [JsonPropertyName("num_subs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int NumSubs { get; init; }

    [JsonPropertyName("num_queue_subs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int NumQueueSubs { get; init; }
}
