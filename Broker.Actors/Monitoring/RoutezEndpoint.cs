using System.Text.Json.Serialization;
using Broker.Cluster;
using Broker.Runtime;

namespace Broker.Monitoring;

/// <summary>
/// <c>/routez</c>: the other cluster nodes this one exchanges interest and messages with, one
/// route per node, in nats-server 2.9's shape; <c>subs=1</c> adds each node's interest, <c>subs=detail</c>
/// its details. No routes on a single broker.
/// </summary>
public sealed class RoutezEndpoint(ServerContext server) : IMonitorEndpoint
{
    /// <summary>How old a round-trip measurement may be before a /routez read starts a new one.</summary>
    private static readonly TimeSpan RttMaxAge = TimeSpan.FromSeconds(10);

    public string Path => "/routez";

    public MonitorResponse Respond(MonitorRequest request)
    {
        var (list, detail) = request.Subscriptions();
        var routes = (server.ClusterRoutes?.All ?? []).Select(r => Of(r, request.Now, list, detail)).ToArray();
        var routez = new Routez { ServerId = server.ServerId, Now = GoFormat.Time(request.Now), NumRoutes = routes.Length, Routes = routes };
        return MonitorResponse.Json(routez, MonitorJsonContext.Indented.Routez);
    }

    private static RouteInfo Of(ClusterRoute route, DateTime now, bool list, bool detail)
    {
        route.RefreshRtt(RttMaxAge);
        var lastActivity = route.LastActivity;
        var interest = list || detail ? route.Interest.OrderBy(Text, StringComparer.Ordinal).ToArray() : [];
        return new RouteInfo
        {
            Rid = route.Rid,
            RemoteId = route.Node,
            // Akka remoting connects both ways; this node "solicits" the peers it was configured with, as nats-server dials every configured route.
            DidSolicit = route.IsConfigured,
            IsConfigured = route.IsConfigured,
            Ip = route.Host,
            Port = route.Port,
            Start = GoFormat.Time(route.ConnectedAt),
            LastActivity = GoFormat.Time(lastActivity),
            Rtt = GoFormat.Duration(route.Rtt),
            Uptime = GoFormat.Uptime(now - route.ConnectedAt),
            Idle = GoFormat.Uptime(now - lastActivity),
            // Node links hand each batch to Akka remoting at the publisher's flush, so nothing waits
            // on the link itself between reads: 0, as nats-server shows for a route keeping up.
            PendingSize = 0,
            InMsgs = route.InMsgs,
            OutMsgs = route.OutMsgs,
            InBytes = route.InBytes,
            OutBytes = route.OutBytes,
            Subscriptions = route.InterestCount,
            SubscriptionsList = list && interest.Length > 0 ? interest.Select(e => e.Subject).ToArray() : null,
            SubscriptionsListDetail = detail && interest.Length > 0 ? interest.Select(e => Detail(e, route.Rid)).ToArray() : null,
        };
    }

    /// <summary>
    /// A remote interest as nats-server details a route's subscription: its sid is the account and
    /// subject (and queue), its cid the route's. Messages per remote interest are not counted here (0).
    /// </summary>
    private static SubDetail Detail(InterestEntry entry, ulong rid) => new()
    {
        Subject = entry.Subject,
        Queue = entry.Queue,
        Sid = Text(entry),
        Cid = rid,
    };

    private static string Text(InterestEntry entry) =>
        entry.Queue is null ? $"{entry.Account} {entry.Subject}" : $"{entry.Account} {entry.Subject} {entry.Queue}";
}

/// <summary>The /routez body (nats-server 2.9's <c>Routez</c>, which has no server name).</summary>
public sealed class Routez
{
    [JsonPropertyName("server_id")] public string ServerId { get; init; } = "";
    [JsonPropertyName("now")] public string Now { get; init; } = "";
    [JsonPropertyName("num_routes")] public int NumRoutes { get; init; }
    [JsonPropertyName("routes")] public RouteInfo[] Routes { get; init; } = [];
}
