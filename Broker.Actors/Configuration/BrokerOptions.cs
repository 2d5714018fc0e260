using Akka.Configuration;

namespace Broker.Configuration;

/// <summary>
/// Typed, validated broker settings. Key names mirror nats-server's (see README, "Configuration").
/// Read once at start; nothing re-reads HOCON at run time.
/// </summary>
public sealed record BrokerOptions
{
    public const int DefaultPort = 4222;

    /// <summary>Interface the client listener binds to (nats-server `host`).</summary>
    public string Host { get; init; } = "0.0.0.0";

    /// <summary>Client port; 0 (or -1, as in nats-server) picks an ephemeral port.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Server name shown in INFO; empty means "use the server id", as nats-server does.</summary>
    public string ServerName { get; init; } = "";

    public int MaxPayload { get; init; } = 1024 * 1024;
    public int MaxControlLine { get; init; } = 4096;
    public int MaxConnections { get; init; } = 64 * 1024;

    /// <summary>Per-connection subscription limit; 0 means unlimited.</summary>
    public int MaxSubscriptions { get; init; }

    public TimeSpan PingInterval { get; init; } = TimeSpan.FromMinutes(2);
    public int PingMax { get; init; } = 2;
    public TimeSpan WriteDeadline { get; init; } = TimeSpan.FromSeconds(10);
    public long MaxPending { get; init; } = 64L * 1024 * 1024;

    /// <summary>Time a client has to send CONNECT before it is closed (nats-server `authorization.timeout`, default 2s).</summary>
    public TimeSpan AuthTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Accounts besides the global one (<c>$G</c>), which holds every client not bound to another.</summary>
    public IReadOnlyList<AccountOptions> Accounts { get; init; } = [];

    /// <summary>Users of <c>authorization { users }</c> or <c>{ user, password }</c>: they land in <c>$G</c>.</summary>
    public IReadOnlyList<UserOptions> Users { get; init; } = [];

    /// <summary><c>authorization { token }</c>: a shared secret for every client.</summary>
    public string? Token { get; init; }

    /// <summary>The user a client that sends no credentials is treated as (nats-server <c>no_auth_user</c>).</summary>
    public string? NoAuthUser { get; init; }

    /// <summary>The account the server's own events and requests live in.</summary>
    public string SystemAccount { get; init; } = "$SYS";

    /// <summary>The leafnode port (nats-server's <c>leafnodes</c> block); null: none.</summary>
    public LeafNodeOptions? LeafNodes { get; init; }

    /// <summary>TLS for client connections; null means plain TCP.</summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>Decentralized JWT security (nats-server's operator mode); null without an <c>operator</c>.</summary>
    public OperatorMode? Operator { get; init; }

    /// <summary>
    /// The longest gap between two <c>$SYS.SERVER.&lt;id&gt;.STATSZ</c> messages (nats-server 2.9: 30s; the
    /// first goes out after 250ms and the gap doubles up to this). Not a configuration key, as in
    /// nats-server; tests and embedding applications set it.
    /// </summary>
    public TimeSpan StatszInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>nats-server's <c>no_system_account</c>: no system account, so no events and no system requests.</summary>
    public bool NoSystemAccount { get; init; }

    /// <summary>
    /// Port of the HTTP monitoring listener (nats-server `http_port`, `-m`). Null: no listener;
    /// 0 or -1: an ephemeral port (nats-server takes only -1 for that: its 0 means "off").
    /// </summary>
    public int? HttpPort { get; init; }

    /// <summary>Interface of the monitoring listener (the host part of nats-server's `http`); empty: the client <see cref="Host"/>.</summary>
    public string HttpHost { get; init; } = "";

    public bool Debug { get; init; }
    public bool Trace { get; init; }
    public bool Logtime { get; init; } = true;

    /// <summary>nats-server's <c>log_file</c> (<c>-l</c>): the host logs to this file instead of the console.</summary>
    public string? LogFile { get; init; }

    /// <summary>nats-server's <c>log_size_limit</c>: the log file is rotated once it reaches this many bytes; 0: never.</summary>
    public long LogSizeLimit { get; init; }

    /// <summary>nats-server's <c>max_traced_msg_len</c>: traced payloads are cut at this many bytes; 0: whole.</summary>
    public int MaxTracedMsgLen { get; init; }

    /// <summary>nats-server's <c>pid_file</c> (<c>-P</c>): the host writes its process id there while it runs.</summary>
    public string? PidFile { get; init; }

    /// <summary>nats-server's <c>lame_duck_duration</c>: how long lame duck mode takes to close every client (at least 30 s).</summary>
    public TimeSpan LameDuckDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>nats-server's <c>lame_duck_grace_period</c>: how long lame duck mode waits before it closes the first client.</summary>
    public TimeSpan LameDuckGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The `cluster { }` block: null for a single broker, which behaves exactly as without clustering.</summary>
    public ClusterOptions? Cluster { get; init; }

    /// <summary>
    /// Whether the broker forms a broker cluster over its ActorSystem's Akka.Cluster when that system
    /// is clustered. The standalone server's system is clustered only with a <c>cluster</c> block; an
    /// application that hosts the broker in its own clustered system opts in (Broker.Hosting's <c>joinCluster</c>).
    /// </summary>
    public bool JoinActorSystemCluster { get; init; } = true;

    /// <summary>The <c>gateway</c> block: this node's region in a supercluster; null when it has none.</summary>
    public GatewayOptions? Gateway { get; init; }

    /// <summary>The `akka { }` block of the same file, handed to the ActorSystem the host creates.</summary>
    public Config? Akka { get; init; }
}
