using System.Text.Json.Serialization;

namespace Broker.Monitoring;

/// <summary>The /accountz body: the account names, or one account's detail with <c>acc=</c>.</summary>
public sealed class Accountz
{
    [JsonPropertyName("server_id")] public string ServerId { get; init; } = "";
    [JsonPropertyName("now")] public string Now { get; init; } = "";

    /// <summary>nats-server omits the field when it has no system account.</summary>
    [JsonPropertyName("system_account"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SystemAccount { get; init; }

    [JsonPropertyName("accounts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? Accounts { get; init; }

    [JsonPropertyName("account_detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AccountInfo? AccountDetail { get; init; }
}

/// <summary>One account's detail (nats-server's <c>AccountInfo</c>; imports, exports and JWT fields come with the accounts work).</summary>
public sealed class AccountInfo
{
    [JsonPropertyName("account_name")] public string AccountName { get; init; } = "";
    [JsonPropertyName("update_time")] public string UpdateTime { get; init; } = "";

    [JsonPropertyName("is_system"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool IsSystem { get; init; }

    [JsonPropertyName("expired")] public bool Expired { get; init; }
    [JsonPropertyName("complete")] public bool Complete { get; init; } = true;
    [JsonPropertyName("jetstream_enabled")] public bool JetStreamEnabled { get; init; }
    [JsonPropertyName("leafnode_connections")] public int LeafNodeConnections { get; init; }
    [JsonPropertyName("client_connections")] public int ClientConnections { get; init; }
    [JsonPropertyName("subscriptions")] public long Subscriptions { get; init; }
    [JsonPropertyName("sublist_stats")] public SublistStats SublistStats { get; init; } = new();
}
