using Broker.Clients;
using Broker.Configuration;
using Broker.Protocol;

namespace Broker.Server;

public sealed partial class BrokerServer
{
    /// <summary>
    /// The options a configuration reload can change on a running broker, by property name with
    /// nats-server's key for its "Reloaded: key = value" line. Each is read where it is used, so the
    /// new value holds from the next use: max_connections at the next accept (and the excess closed
    /// now), ping_interval for new connections, ping_max at the next ping, write_deadline at the next write.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LiveReloadable = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(BrokerOptions.MaxConnections)] = "max_connections",
        [nameof(BrokerOptions.PingInterval)] = "ping_interval",
        [nameof(BrokerOptions.PingMax)] = "ping_max",
        [nameof(BrokerOptions.WriteDeadline)] = "write_deadline",
        [nameof(BrokerOptions.MaxTracedMsgLen)] = "max_traced_msg_len",
    };

    /// <summary>
    /// Takes the <see cref="LiveReloadable"/> options from <paramref name="updated"/> (the caller has
    /// refused any other change). As nats-server: when max_connections shrinks below the number
    /// connected, randomly chosen clients over the limit are closed with <c>-ERR 'maximum connections exceeded'</c>.
    /// </summary>
    public void ApplyReload(BrokerOptions updated)
    {
        var old = Context.Options;
        Context.Options = old with
        {
            MaxConnections = updated.MaxConnections,
            PingInterval = updated.PingInterval,
            PingMax = updated.PingMax,
            WriteDeadline = updated.WriteDeadline,
            MaxTracedMsgLen = updated.MaxTracedMsgLen,
        };
        var excess = Context.Connections.Count - updated.MaxConnections;
        if (excess <= 0) return;
        var clients = Context.Connections.Values.ToArray();
        Random.Shared.Shuffle(clients);
        foreach (var client in clients.Take(excess)) client.Close(CloseReason.MaxConnectionsExceeded, ProtocolErrors.MaxConnectionsExceeded);
    }
}
