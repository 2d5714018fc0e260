using System.Text.Json.Serialization;
using Broker.Runtime;

namespace Broker.SystemAccount;

/// <summary>
/// <c>$SYS.SERVER.&lt;id&gt;.STATSZ</c> and the answer to <c>$SYS.REQ.SERVER.PING</c> (nats-server's
/// <c>ServerStatsMsg</c>): no type or id, just the server and its statistics.
/// </summary>
public sealed class ServerStatsMessage
{
    [JsonPropertyName("server")] public EventServerInfo Server { get; init; } = new();
    [JsonPropertyName("statsz")] public ServerStats Stats { get; init; } = new();
}

/// <summary>nats-server's <c>ServerStats</c>; routes and gateways are omitted until clustering exists.</summary>
public sealed class ServerStats
{
    [JsonPropertyName("start")] public string Start { get; init; } = "";
    [JsonPropertyName("mem")] public long Mem { get; init; }
    [JsonPropertyName("cores")] public int Cores { get; init; }
    [JsonPropertyName("cpu")] public double Cpu { get; init; }
    [JsonPropertyName("connections")] public int Connections { get; init; }
    [JsonPropertyName("total_connections")] public long TotalConnections { get; init; }

    /// <summary>Accounts with at least one client connected.</summary>
    [JsonPropertyName("active_accounts")] public int ActiveAccounts { get; init; }

    [JsonPropertyName("subscriptions")] public long Subscriptions { get; init; }

    /// <summary>Delivered to clients (the server's out).</summary>
    [JsonPropertyName("sent")] public DataStats Sent { get; init; } = new();

    /// <summary>Published by clients (the server's in).</summary>
    [JsonPropertyName("received")] public DataStats Received { get; init; } = new();

    [JsonPropertyName("slow_consumers")] public long SlowConsumers { get; init; }

    /// <summary>Servers this one knows in its cluster, itself included: 1 until clustering exists.</summary>
    [JsonPropertyName("active_servers")] public int ActiveServers { get; init; } = 1;
}
