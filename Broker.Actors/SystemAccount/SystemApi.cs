using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Broker.Monitoring;
using Broker.Runtime;

namespace Broker.SystemAccount;

/// <summary>
/// The answers to <c>$SYS.REQ</c> requests, as nats-server's <c>zReq</c> gives them: the body, if
/// any, is the endpoint's options as JSON (plus the server filter); a server the filter excludes
/// stays silent; options that do not parse get a 400 and options the endpoint refuses a 500. The
/// data is what the monitoring endpoints build for HTTP.
/// </summary>
internal sealed class SystemApi
{
    private readonly ServerContext _server;
    private readonly ProcessUsage _usage = new();
    private readonly VarzEndpoint _varz;
    private readonly ConnzEndpoint _connz;
    private readonly SubszEndpoint _subsz;
    private readonly LeafzEndpoint _leafz;

    public SystemApi(ServerContext server, MonitorRouter router)
    {
        _server = server;
        _varz = new VarzEndpoint(server, router, _usage);
        _connz = new ConnzEndpoint(server);
        _subsz = new SubszEndpoint(server);
        _leafz = new LeafzEndpoint(server);
    }

    /// <summary>How to build the answer once its server info is known; null when this server must not answer.</summary>
    public Func<EventServerInfo, byte[]>? Answer(string kind, string? account, byte[] body)
    {
        var json = SystemJsonContext.Relaxed;
        return kind switch
        {
            "STATSZ" => StatszAnswer(body),
            "VARZ" => Respond(body, json.EventFilterOptions, json.ServerApiResponseVarz, _ => _varz.Build(DateTime.UtcNow)),
            "CONNZ" => Respond(body, json.ConnzEventOptions, json.ServerApiResponseConnz,
                options => _connz.Build(MonitorRequest.Of(options.AsQuery(account)))),
            "SUBSZ" => Respond(body, json.SubszEventOptions, json.ServerApiResponseSubsz,
                options => _subsz.Build(MonitorRequest.Of(options.AsQuery(account)))),
            "LEAFZ" => Respond(body, json.EventFilterOptions, json.ServerApiResponseLeafz, _ => _leafz.Build(DateTime.UtcNow, subs: false)),
            SystemSubjects.ReloadKind => ReloadAnswer(body),
            _ => null,
        };
    }

    /// <summary>
    /// <c>$SYS.REQ.SERVER.&lt;id&gt;.RELOAD</c> (nats-server 2.10's request; 2.9 reloads only on SIGHUP):
    /// the host's reload runs, and a refusal comes back as a 500 with its reason.
    /// </summary>
    private Func<EventServerInfo, byte[]>? ReloadAnswer(byte[] body)
    {
        var json = SystemJsonContext.Relaxed;
        if (!TryRead(body, json.EventFilterOptions, out var options, out var error)) return Failure(json.ServerApiResponseServerStats, 400, error);
        if (!options.Selects(_server)) return null;
        var refusal = _server.Reload is { } reload ? reload() : "can only reload config when a file is provided using -c or --config";
        if (refusal is not null) return Failure(json.ServerApiResponseServerStats, 500, refusal);
        return sender => JsonSerializer.SerializeToUtf8Bytes(new ServerApiResponse<ServerStats> { Server = sender }, json.ServerApiResponseServerStats);
    }

    /// <summary>The statistics of STATSZ and of the periodic <c>$SYS.SERVER.&lt;id&gt;.STATSZ</c>.</summary>
    public ServerStatsMessage Statsz(EventServerInfo sender)
    {
        var traffic = _server.Stats.Traffic;
        return new ServerStatsMessage
        {
            Server = sender,
            Stats = new ServerStats
            {
                Start = GoFormat.Time(_server.StartTime),
                Mem = ProcessUsage.Memory,
                Cores = Environment.ProcessorCount,
                Cpu = _usage.CpuPercent(),
                Connections = _server.Connections.Count,
                TotalConnections = _server.Stats.TotalConnections,
                ActiveAccounts = _server.Accounts.All.Count(a => a.Connections > 0),
                Subscriptions = _server.Accounts.All.Sum(a => a.Index.SubscriptionCount),
                Sent = DataStats.Out(traffic),
                Received = DataStats.In(traffic),
                SlowConsumers = _server.Stats.SlowConsumers,
            },
        };
    }

    /// <summary>STATSZ answers nats-server's <c>ServerStatsMsg</c> itself, not a data envelope; only its errors are enveloped.</summary>
    private Func<EventServerInfo, byte[]>? StatszAnswer(byte[] body)
    {
        var json = SystemJsonContext.Relaxed;
        if (!TryRead(body, json.EventFilterOptions, out var options, out var error)) return Failure(json.ServerApiResponseServerStats, 400, error);
        if (!options.Selects(_server)) return null;
        return sender => JsonSerializer.SerializeToUtf8Bytes(Statsz(sender), json.ServerStatsMessage);
    }

    private Func<EventServerInfo, byte[]>? Respond<TOptions, TData>(
        byte[] body, JsonTypeInfo<TOptions> optionsType, JsonTypeInfo<ServerApiResponse<TData>> responseType, Func<TOptions, TData> data)
        where TOptions : EventFilterOptions, new()
        where TData : class
    {
        if (!TryRead(body, optionsType, out var options, out var error)) return Failure(responseType, 400, error);
        if (!options.Selects(_server)) return null;
        TData result;
        try
        {
            result = data(options);
        }
        catch (MonitorQueryException e)
        {
            return Failure(responseType, 500, e.Message);
        }
        return sender => JsonSerializer.SerializeToUtf8Bytes(new ServerApiResponse<TData> { Server = sender, Data = result }, responseType);
    }

    /// <summary>The options of a request body; an empty body (or JSON null) means the defaults, as in nats-server.</summary>
    private static bool TryRead<TOptions>(byte[] body, JsonTypeInfo<TOptions> type, out TOptions options, out string error)
        where TOptions : new()
    {
        error = "";
        try
        {
            options = body.Length == 0 ? new TOptions() : JsonSerializer.Deserialize(body, type) ?? new TOptions();
            return true;
        }
        catch (JsonException e)
        {
            options = new TOptions();
            error = e.Message;
            return false;
        }
    }

    private static Func<EventServerInfo, byte[]> Failure<TData>(JsonTypeInfo<ServerApiResponse<TData>> type, int code, string description)
        where TData : class =>
        sender => JsonSerializer.SerializeToUtf8Bytes(
            new ServerApiResponse<TData> { Server = sender, Error = new ApiError { Code = code, Description = description } }, type);
}
