using System.Text.Json.Serialization;
using Broker.Runtime;

namespace Broker.Monitoring;

/// <summary><c>/leafz</c> in nats-server 2.9's shape: every established leaf link, accepted and solicited; <c>subs=1</c> lists each one's interest.</summary>
public sealed class LeafzEndpoint(ServerContext server) : IMonitorEndpoint
{
    public string Path => "/leafz";

    public MonitorResponse Respond(MonitorRequest request) =>
        MonitorResponse.Json(Build(request.Now, request.Bool("subs")), MonitorJsonContext.Indented.Leafz);

    /// <summary>The body, for HTTP and for <c>$SYS.REQ.SERVER.&lt;id&gt;.LEAFZ</c>.</summary>
    public Leafz Build(DateTime now, bool subs)
    {
        var links = server.LeafNodes?.Connections.Where(l => l.IsEstablished && !l.IsClosed).OrderBy(l => l.Id).ToArray() ?? [];
        return new Leafz
        {
            ServerId = server.ServerId,
            Now = GoFormat.Time(now),
            LeafNodes = links.Length,
            Leafs = links.Length == 0 ? null : links.Select(l => LeafLinkInfo.Of(l, subs)).ToArray(),
        };
    }
}

/// <summary>The /leafz body (nats-server's <c>Leafz</c>).</summary>
public sealed class Leafz
{
    [JsonPropertyName("server_id")] public string ServerId { get; init; } = "";
    [JsonPropertyName("now")] public string Now { get; init; } = "";
    [JsonPropertyName("leafnodes")] public int LeafNodes { get; init; }
    [JsonPropertyName("leafs")] public LeafLinkInfo[]? Leafs { get; init; }
}

/// <summary>One leaf link in /leafz (nats-server 2.9.10's <c>LeafInfo</c>: no name or is_spoke yet, those came in 2.10).</summary>
public sealed class LeafLinkInfo
{
    [JsonPropertyName("account")] public string Account { get; init; } = "";
    [JsonPropertyName("ip")] public string Ip { get; init; } = "";
    [JsonPropertyName("port")] public int Port { get; init; }

    [JsonPropertyName("rtt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Rtt { get; init; }

    [JsonPropertyName("in_msgs")] public long InMsgs { get; init; }
    [JsonPropertyName("out_msgs")] public long OutMsgs { get; init; }
    [JsonPropertyName("in_bytes")] public long InBytes { get; init; }
    [JsonPropertyName("out_bytes")] public long OutBytes { get; init; }
    [JsonPropertyName("subscriptions")] public int Subscriptions { get; init; }

    /// <summary>The peer's interest by subject (a queue interest shows its subject alone, as nats-server).</summary>
    [JsonPropertyName("subscriptions_list"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? SubscriptionsList { get; init; }

    internal static LeafLinkInfo Of(LeafNodes.LeafConnection link, bool subs)
    {
        var keys = link.InterestKeys;
        return new LeafLinkInfo
        {
            Account = link.Account?.Name ?? "",
            Ip = link.RemoteEndPoint?.Address.ToString() ?? "",
            Port = link.RemoteEndPoint?.Port ?? 0,
            Rtt = GoFormat.Duration(link.Rtt),
            InMsgs = Interlocked.Read(ref link.InMessages),
            OutMsgs = link.OutMessages,
            InBytes = Interlocked.Read(ref link.InBytes),
            OutBytes = link.OutBytes,
            Subscriptions = keys.Count,
            SubscriptionsList = subs && keys.Count > 0 ? keys.Select(k => k.Split(' ')[0]).ToArray() : null,
        };
    }
}
