using System.Text.Json.Serialization;
using Broker.Cluster;
using Broker.Gateways;
using Broker.Links;
using Broker.Runtime;

namespace Broker.Monitoring;

/// <summary>
/// <c>/gatewayz</c>: this node's gateway links in nats-server 2.9's shape. <c>outbound_gateways</c>
/// has the one link per remote region this node opened (once the other side introduced itself,
/// as nats-server lists registered links), <c>inbound_gateways</c> the links other regions' nodes
/// opened to it, by region. Queries as nats-server: <c>gw_name</c> keeps one region, <c>accs=1</c>
/// adds each link's accounts, <c>acc_name</c> only that account (and implies <c>accs</c>).
/// Without a <c>gateway</c> block both maps are empty.
/// </summary>
public sealed class GatewayzEndpoint(ServerContext server) : IMonitorEndpoint
{
    /// <summary>nats-server's <c>kind</c> for a gateway connection.</summary>
    private const string Kind = "Gateway";

    public string Path => "/gatewayz";

    public MonitorResponse Respond(MonitorRequest request) => MonitorResponse.Json(Build(request), MonitorJsonContext.Indented.Gatewayz);

    public Gatewayz Build(MonitorRequest request)
    {
        // Read in nats-server's order; only accs can be malformed.
        var accs = request.Bool("accs");
        var region = request.Text("gw_name");
        var account = request.Text("acc_name");
        if (account.Length > 0) accs = true;

        var gateway = server.Gateway;
        var now = request.Now;
        if (gateway is null) return new Gatewayz { ServerId = server.ServerId, Now = GoFormat.Time(now), OutboundGateways = new(), InboundGateways = new() };
        var own = Configuration.ClusterEndpoint.TryParse(gateway.GatewayUrl);
        return new Gatewayz
        {
            ServerId = server.ServerId,
            Now = GoFormat.Time(now),
            Name = gateway.Region,
            Host = own?.Host,
            Port = own?.Port ?? 0,
            OutboundGateways = Outbound(gateway, region, accs ? account : null, now),
            InboundGateways = Inbound(gateway, region, accs ? account : null, now),
        };
    }

    /// <summary>
    /// Regions with an established link, by name. With <c>gw_name</c> and no such link the map is
    /// null (<c>"outbound_gateways": null</c>), as nats-server answers.
    /// </summary>
    private static Dictionary<string, RemoteGatewayz>? Outbound(GatewayNode gateway, string only, string? account, DateTime now)
    {
        var outbound = new Dictionary<string, RemoteGatewayz>(StringComparer.Ordinal);
        foreach (var remote in gateway.Regions.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            if (only.Length > 0 && remote.Name != only) continue;
            if (remote.Connection is not { } connection || !remote.Established) continue;
            outbound[remote.Name] = new RemoteGatewayz
            {
                // Every region this node links to is one of its gateway block's (no implicit links here).
                Configured = true,
                Connection = Connection(connection, remote.RemoteNode, remote.InterestCount, now),
                Accounts = account is null ? null : Accounts(remote.Interest, account),
            };
        }
        return only.Length > 0 && outbound.Count == 0 ? null : outbound;
    }

    /// <summary>Inbound links that introduced themselves, by region, oldest first.</summary>
    private static Dictionary<string, RemoteGatewayz[]> Inbound(GatewayNode gateway, string only, string? account, DateTime now)
    {
        var links = (gateway.Inbound?.Connections ?? [])
            .Where(c => c.State.From is { } from && (only.Length == 0 || from.Region == only))
            .Select(c => (c.Connection, From: c.State.From!))
            .OrderBy(c => c.From.Region, StringComparer.Ordinal).ThenBy(c => c.Connection.Cid)
            .ToList();
        // Every inbound link is told the whole region's interest, so they share one account list.
        var accounts = account is null || links.Count == 0 ? null : Accounts(gateway.Interest.Entries, account);
        return links.GroupBy(c => c.From.Region).ToDictionary(
            g => g.Key,
            g => g.Select(c => new RemoteGatewayz
            {
                // nats-server never sets it for an inbound link: false there, false here.
                Configured = false,
                // Nothing subscribes on an inbound link: the other region's interest comes on its own outbound one.
                Connection = Connection(c.Connection, c.From.Node, 0, now),
                Accounts = accounts,
            }).ToArray(),
            StringComparer.Ordinal);
    }

    /// <summary>The link as /connz shows a connection; <c>name</c> is the node at the other end (nats-server: its server id).</summary>
    private static ConnInfo Connection(FramedConnection connection, string remoteNode, int subscriptions, DateTime now)
    {
        var endpoint = connection.RemoteEndPoint;
        var address = endpoint?.Address is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : endpoint?.Address;
        var lastActivity = connection.LastActivity;
        return new ConnInfo
        {
            Cid = connection.Cid,
            Kind = Kind,
            Type = null,
            Ip = address?.ToString() ?? "",
            Port = endpoint?.Port ?? 0,
            Start = GoFormat.Time(connection.Started),
            LastActivity = GoFormat.Time(lastActivity),
            // Each side pings to find a silent link, but nothing answers a ping: no round trip to time, "0s" as nats-server shows before its first PONG.
            Rtt = GoFormat.Duration(TimeSpan.Zero),
            Uptime = GoFormat.Uptime(now - connection.Started),
            Idle = GoFormat.Uptime(now - lastActivity),
            PendingBytes = connection.PendingBytes,
            InMsgs = Interlocked.Read(ref connection.InMessages),
            OutMsgs = Interlocked.Read(ref connection.OutMessages),
            InBytes = Interlocked.Read(ref connection.InBytes),
            OutBytes = Interlocked.Read(ref connection.OutBytes),
            Subscriptions = subscriptions,
            Name = remoteNode,
        };
    }

    /// <summary>The accounts of <paramref name="interest"/> (only <paramref name="account"/> when not empty), by name; null when none.</summary>
    private static AccountGatewayz[]? Accounts(IEnumerable<InterestEntry> interest, string account)
    {
        var accounts = interest
            .Where(e => account.Length == 0 || e.Account == account)
            .GroupBy(e => e.Account)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AccountGatewayz { Name = g.Key, NumSubs = g.Count(), NumQueueSubs = g.Count(e => e.Queue is not null) })
            .ToArray();
        return accounts.Length == 0 ? null : accounts;
    }
}

/// <summary>The /gatewayz body (nats-server 2.9's <c>Gatewayz</c>); region name, host and port are left out without a gateway block, as there.</summary>
public sealed class Gatewayz
{
    [JsonPropertyName("server_id")] public string ServerId { get; init; } = "";
    [JsonPropertyName("now")] public string Now { get; init; } = "";

    [JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>The host other regions are told to reach this node at (its gateway URL's).</summary>
    [JsonPropertyName("host"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Host { get; init; }

    [JsonPropertyName("port"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Port { get; init; }

    [JsonPropertyName("outbound_gateways")] public Dictionary<string, RemoteGatewayz>? OutboundGateways { get; init; } = new();
    [JsonPropertyName("inbound_gateways")] public Dictionary<string, RemoteGatewayz[]> InboundGateways { get; init; } = new();
}
