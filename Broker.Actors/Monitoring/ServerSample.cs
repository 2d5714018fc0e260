using Broker.Clients;
using Broker.Runtime;

namespace Broker.Monitoring;

/// <summary>The server's counters read at one moment, so one scrape or one callback sees them agree.</summary>
public sealed record ServerSample(
    Traffic Traffic,
    int Connections,
    long TotalConnections,
    long SlowConsumers,
    long Subscriptions,
    long PendingBytes,
    TimeSpan Uptime,
    long Memory,
    TimeSpan CpuTime)
{
    public static ServerSample Of(ServerContext server)
    {
        long pending = 0;
        foreach (var connection in server.Connections.Values) pending += connection.PendingBytes;
        return new ServerSample(
            server.Stats.Traffic,
            server.Connections.Count + server.EmbeddedConnections.Count,
            server.Stats.TotalConnections,
            server.Stats.SlowConsumers,
            server.Accounts.All.Sum(a => a.Index.SubscriptionCount),
            pending,
            DateTime.UtcNow - server.StartTime,
            ProcessUsage.Memory,
            ProcessUsage.CpuTime());
    }
}
