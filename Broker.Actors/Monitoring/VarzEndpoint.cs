using System.Runtime.InteropServices;
using Broker.Runtime;

namespace Broker.Monitoring;

/// <summary><c>/varz</c>: the server's identity, limits and counters since start.</summary>
public sealed class VarzEndpoint(ServerContext server, MonitorRouter router, ProcessUsage usage) : IMonitorEndpoint
{
    private const long NanosPerTick = 100;

    public string Path => "/varz";

    public MonitorResponse Respond(MonitorRequest request) => MonitorResponse.Json(Build(request.Now), MonitorJsonContext.Indented.Varz);

    public Varz Build(DateTime now)
    {
        var options = server.Options;
        var traffic = server.Stats.Traffic;
        return new Varz
        {
            ServerId = server.ServerId,
            ServerName = server.ServerName,
            Version = ServerContext.ProtocolVersion,
            Go = RuntimeInformation.FrameworkDescription,
            Host = options.Host,
            Port = server.Port,
            AuthRequired = server.Authenticator.AuthRequired,
            TlsRequired = options.Tls is not null,
            TlsVerify = options.Tls?.Verify ?? false,
            ConnectUrls = server.ClusterRoutes is null ? null : server.AdvertisedConnectUrls,
            MaxConnections = options.MaxConnections,
            MaxSubscriptions = options.MaxSubscriptions,
            PingInterval = options.PingInterval.Ticks * NanosPerTick,
            PingMax = options.PingMax,
            HttpHost = string.IsNullOrEmpty(options.HttpHost) ? options.Host : options.HttpHost,
            HttpPort = server.MonitorEndpoint?.Port ?? 0,
            AuthTimeout = options.AuthTimeout.TotalSeconds,
            MaxControlLine = options.MaxControlLine,
            MaxPayload = options.MaxPayload,
            MaxPending = options.MaxPending,
            Cluster = ClusterVarz.Of(options.Cluster),
            Gateway = GatewayVarz.Of(server.Gateway),
            Leaf = LeafVarz.Of(server.LeafNodes),
            // nats-server reports its default handshake timeout without TLS too.
            TlsTimeout = options.Tls?.Timeout.TotalSeconds ?? 2,
            WriteDeadline = options.WriteDeadline.Ticks * NanosPerTick,
            Start = GoFormat.Time(server.StartTime),
            Now = GoFormat.Time(now),
            Uptime = GoFormat.Uptime(now - server.StartTime),
            Mem = ProcessUsage.Memory,
            Cores = Environment.ProcessorCount,
            GoMaxProcs = Environment.ProcessorCount,
            Cpu = usage.CpuPercent(),
            // In-process connections are clients too (nats-server counts every client it has).
            Connections = server.Connections.Count + server.EmbeddedConnections.Count,
            TotalConnections = server.Stats.TotalConnections,
            Routes = server.ClusterRoutes?.Count ?? 0,
            Remotes = server.ClusterRoutes?.Count ?? 0,
            LeafNodes = server.LeafNodes?.Connections.Count(l => l.IsEstablished && !l.IsClosed) ?? 0,
            InMsgs = traffic.InMsgs,
            OutMsgs = traffic.OutMsgs,
            InBytes = traffic.InBytes,
            OutBytes = traffic.OutBytes,
            SlowConsumers = server.Stats.SlowConsumers,
            Subscriptions = server.Accounts.All.Sum(a => a.Index.SubscriptionCount),
            HttpReqStats = router.RequestCounts,
            ConfigLoadTime = GoFormat.Time(server.StartTime),
            SystemAccount = server.Accounts.System?.Name,
        };
    }
}
