using System.Text.Json.Serialization;
using Broker.Clients;

namespace Broker.SystemAccount;

/// <summary>nats-server's <c>DataStats</c>: a count of messages and of their bytes.</summary>
public sealed class DataStats
{
    [JsonPropertyName("msgs")] public long Msgs { get; init; }
    [JsonPropertyName("bytes")] public long Bytes { get; init; }

    /// <summary>What clients sent to the server (in).</summary>
    public static DataStats In(Traffic traffic) => new() { Msgs = traffic.InMsgs, Bytes = traffic.InBytes };

    /// <summary>What the server delivered to clients (out).</summary>
    public static DataStats Out(Traffic traffic) => new() { Msgs = traffic.OutMsgs, Bytes = traffic.OutBytes };
}
