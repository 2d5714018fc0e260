using Broker.Accounts;
using Broker.Clients;
using Broker.Runtime;

namespace Broker.Monitoring;

/// <summary>
/// <c>/connz</c>: open and/or closed connections with nats-server's options: <c>sort</c>, <c>auth</c>,
/// <c>subs</c> (<c>1</c> or <c>detail</c>), <c>offset</c>, <c>limit</c>, <c>cid</c>,
/// <c>state=open|closed|all</c>, <c>user</c>, <c>acc</c>. Only sort by cid and by start is ascending
/// (and uptime and reason, as in nats-server); the others put the largest first.
/// </summary>
public sealed class ConnzEndpoint(ServerContext server) : IMonitorEndpoint
{
    public const int DefaultLimit = 1024;

    private static readonly HashSet<string> Sorts = new(StringComparer.Ordinal)
    {
        "cid", "start", "subs", "pending", "msgs_to", "msgs_from", "bytes_to", "bytes_from",
        "last", "idle", "uptime", "stop", "reason",
    };

    public string Path => "/connz";

    public MonitorResponse Respond(MonitorRequest request) => MonitorResponse.Json(Build(request), MonitorJsonContext.Indented.Connz);

    /// <summary>The body for a query; also the data of the system account's CONNZ requests.</summary>
    public Connz Build(MonitorRequest request)
    {
        // Decoded in nats-server's order, so the first bad value is the one reported.
        var sort = request.Text("sort");
        var auth = request.Bool("auth");
        var (subs, subsDetail) = request.Subscriptions();
        var offset = Math.Max(0, request.Int("offset"));
        var limit = request.Int("limit");
        var cid = request.UInt64("cid");
        var state = State(request.Text("state"));
        var user = request.Text("user");
        var account = request.Text("acc");

        if (sort.Length > 0 && !Sorts.Contains(sort)) throw new MonitorQueryException($"invalid sorting option: {sort}");
        if (limit <= 0) limit = DefaultLimit;
        if (sort == "stop" && state != ConnState.Closed) throw new MonitorQueryException("sort by stop only valid on closed connections");
        if (sort == "reason" && state != ConnState.Closed) throw new MonitorQueryException("sort by reason only valid on closed connections");
        if (cid > 0) limit = 1;

        var now = request.Now;
        var rows = new List<Row>();
        if (state != ConnState.Closed)
        {
            foreach (var connection in server.Connections.Values) rows.Add(Row.Of(ConnectionSnapshot.Of(connection), now));
            foreach (var embedded in server.EmbeddedConnections.Values) rows.Add(Row.Of(embedded.Snapshot(), now));
        }
        if (state != ConnState.Open)
        {
            foreach (var closed in server.ClosedConnections.ToArray()) rows.Add(Row.Of(closed, now));
        }
        rows.RemoveAll(r =>
            (cid > 0 && r.Connection.Cid != cid)
            || (account.Length > 0 && r.Connection.Account != account)
            || (user.Length > 0 && r.Connection.User != user));

        rows.Sort(Comparison(sort));
        var page = rows.Skip((int)Math.Min(offset, int.MaxValue)).Take((int)Math.Min(limit, int.MaxValue))
            .Select(r => Info(r, auth, subs, subsDetail))
            .ToArray();
        return new Connz
        {
            ServerId = server.ServerId,
            Now = GoFormat.Time(now),
            NumConnections = page.Length,
            Total = rows.Count,
            Offset = offset,
            Limit = limit,
            Connections = page,
        };
    }

    private static ConnInfo Info(Row row, bool auth, bool subs, bool subsDetail)
    {
        var c = row.Connection;
        var subscriptions = c.Subscriptions;
        return new ConnInfo
        {
            Cid = c.Cid,
            Kind = c.Kind,
            Type = c.Type,
            Ip = c.Ip,
            Port = c.Port,
            Start = GoFormat.Time(c.Start),
            LastActivity = GoFormat.Time(c.LastActivity),
            Stop = c.Stop is { } stop ? GoFormat.Time(stop) : null,
            Reason = c.Reason,
            Rtt = GoFormat.Duration(c.RoundTrip),
            Uptime = GoFormat.Uptime(row.Uptime),
            Idle = GoFormat.Uptime(row.Idle),
            PendingBytes = c.PendingBytes,
            InMsgs = c.Traffic.InMsgs,
            OutMsgs = c.Traffic.OutMsgs,
            InBytes = c.Traffic.InBytes,
            OutBytes = c.Traffic.OutBytes,
            Subscriptions = subscriptions.Length,
            Name = NullIfEmpty(c.Name),
            Lang = NullIfEmpty(c.Lang),
            Version = NullIfEmpty(c.Version),
            AuthorizedUser = auth ? NullIfEmpty(c.User) : null,
            // As nats-server: the account is named only when it is not the global one.
            Account = auth && c.Account != Account.GlobalAccountName ? c.Account : null,
            SubscriptionsList = subs && !subsDetail && subscriptions.Length > 0 ? subscriptions.Select(s => s.Subject).ToArray() : null,
            SubscriptionsListDetail = subsDetail && subscriptions.Length > 0 ? subscriptions.Select(s => SubDetail.Of(s, c.Cid)).ToArray() : null,
        };
    }

    private static Comparison<Row> Comparison(string sort)
    {
        Comparison<Row> order = sort switch
        {
            "subs" => (a, b) => b.Connection.Subscriptions.Length.CompareTo(a.Connection.Subscriptions.Length),
            "pending" => (a, b) => b.Connection.PendingBytes.CompareTo(a.Connection.PendingBytes),
            "msgs_to" => (a, b) => b.Connection.Traffic.OutMsgs.CompareTo(a.Connection.Traffic.OutMsgs),
            "msgs_from" => (a, b) => b.Connection.Traffic.InMsgs.CompareTo(a.Connection.Traffic.InMsgs),
            "bytes_to" => (a, b) => b.Connection.Traffic.OutBytes.CompareTo(a.Connection.Traffic.OutBytes),
            "bytes_from" => (a, b) => b.Connection.Traffic.InBytes.CompareTo(a.Connection.Traffic.InBytes),
            "last" => (a, b) => b.Connection.LastActivity.CompareTo(a.Connection.LastActivity),
            "idle" => (a, b) => b.Idle.CompareTo(a.Idle),
            "uptime" => (a, b) => a.Uptime.CompareTo(b.Uptime),
            "stop" => (a, b) => Nullable.Compare(b.Connection.Stop, a.Connection.Stop),
            "reason" => (a, b) => string.CompareOrdinal(a.Connection.Reason, b.Connection.Reason),
            _ => (_, _) => 0,
        };
        // Ties (and cid/start) in connection order, so pages do not shuffle between requests.
        return (a, b) =>
        {
            var byKey = order(a, b);
            return byKey != 0 ? byKey : a.Connection.Cid.CompareTo(b.Connection.Cid);
        };
    }

    private static ConnState State(string text) => text.ToLowerInvariant() switch
    {
        "" or "open" => ConnState.Open,
        "closed" => ConnState.Closed,
        "any" or "all" => ConnState.All,
        _ => throw new MonitorQueryException($"Error decoding state for {text}"),
    };

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private enum ConnState { Open, Closed, All }

    /// <summary>A connection with the durations its sort and its JSON need, taken once per request.</summary>
    private readonly record struct Row(ConnectionSnapshot Connection, TimeSpan Uptime, TimeSpan Idle)
    {
        public static Row Of(ConnectionSnapshot c, DateTime now)
        {
            // A closed connection's clock stopped when it closed, as in nats-server.
            var end = c.Stop ?? now;
            return new Row(c, end - c.Start, end - c.LastActivity);
        }
    }
}
