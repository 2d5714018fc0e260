using System.Collections.Concurrent;
using System.Net;
using Akka.Actor;
using Broker.Accounts;
using Broker.Clients;
using Broker.Configuration;
using Broker.Logging;
using Broker.Protocol;

namespace Broker.Runtime;

/// <summary>
/// What every connection of one broker shares: options, identity, accounts, counters, log, made
/// with it. The parts <c>BrokerServer</c> starts later (port, system events, cluster and gateway,
/// monitoring endpoint) are <see cref="Parts"/>, each set once at start; what changes while it
/// runs has one writer each: <see cref="Options"/> and <see cref="Authenticator"/> the reload,
/// readiness and lame duck the server's start and stop, <see cref="ConnectUrls"/> the cluster
/// node, <see cref="OperatorAccounts"/> the system account (the host sets <see cref="Reload"/>); the lower layers see this
/// object through the interfaces they declare (<see cref="IClientHost"/>, <see cref="Cluster.IClusterHost"/>,
/// <see cref="Gateways.IGatewayHost"/>), through which the cluster node changes only the client URLs.
/// </summary>
public sealed class ServerContext : IClientHost, Cluster.IClusterHost, Gateways.IGatewayHost, LeafNodes.ILeafHost
{
    /// <summary>
    /// The nats-server release whose behaviour we match (the differential tests run against it):
    /// clients and tools gate features on this version, so it names that release, not our own.
    /// </summary>
    public const string ProtocolVersion = Protocol.ReportedVersion.Value;

    private long _nextClientId;
    private volatile bool _ready;

    public ServerContext(BrokerOptions options, ServerLog log, AccountDirectory accounts)
    {
        _options = options;
        Log = log;
        Accounts = accounts;
        OperatorAccounts = options.Operator is { } mode ? new Security.OperatorAccounts(mode) : null;
        _authenticator = new Security.ClientAuthenticator(options, OperatorAccounts);
        ServerId = ServerIdentity.NewServerId();
        ServerName = string.IsNullOrEmpty(options.ServerName) ? ServerId : options.ServerName;
        // Last: leaf links follow every account's interest from the first subscription (imports, system requests) on.
        if (options.LeafNodes is { } leafOptions) LeafNodes = Broker.LeafNodes.LeafNodeServer.Create(this, leafOptions);
    }

    /// <summary>The parts the server starts after this context exists, each set once at start.</summary>
    public ServerParts Parts { get; } = new();

    /// <summary>The options in force; a configuration reload replaces them (see <see cref="BrokerServer.ApplyReload"/>).</summary>
    public BrokerOptions Options { get => _options; internal set => _options = value; }

    private volatile BrokerOptions _options;
    public ServerLog Log { get; }
    public AccountDirectory Accounts { get; }
    public Account GlobalAccount => Accounts.Global;
    /// <summary>Who may connect, and as whom; a configuration reload replaces it.</summary>
    public Security.ClientAuthenticator Authenticator { get => _authenticator; internal set => _authenticator = value; }

    private volatile Security.ClientAuthenticator _authenticator;

    /// <summary>In operator mode, the accounts' JWTs as they are now (claims updates and resolver fetches change them); null otherwise.</summary>
    public Security.OperatorAccounts? OperatorAccounts { get; }
    public string ServerId { get; }
    public string ServerName { get; }
    public ServerStats Stats { get; } = new();

    /// <summary>The port actually bound, set once the listener is up.</summary>
    public int Port => Parts.Port;

    /// <summary>When this broker started (/varz <c>start</c>, <c>uptime</c>).</summary>
    public DateTime StartTime { get; } = DateTime.UtcNow;

    /// <summary>True from when the client listener accepts until shutdown begins (/healthz).</summary>
    public bool IsReady
    {
        get => _ready;
        internal set => _ready = value;
    }

    /// <summary>
    /// The host's configuration reload, for <c>$SYS.REQ.SERVER.&lt;id&gt;.RELOAD</c>: returns null when
    /// applied, else why it was refused. Null when the broker is embedded without one.
    /// </summary>
    public Func<string?>? Reload { get; set; }

    /// <summary>True once lame duck mode began (see <see cref="BrokerServer.EnterLameDuckModeAsync"/>).</summary>
    public bool IsLameDuck { get; internal set; }

    /// <summary>The monitoring listener's bound endpoint; null when monitoring is off.</summary>
    public IPEndPoint? MonitorEndpoint => Parts.MonitorEndpoint;

    /// <summary>
    /// The system events actor, which connections tell of connects, disconnects and refused
    /// credentials; null without a system account (<c>no_system_account</c>).
    /// </summary>
    public IActorRef? SystemEvents => Parts.SystemEvents;

    /// <summary>The client URLs of every cluster node (INFO <c>connect_urls</c>); null on a single broker.</summary>
    public string[]? ConnectUrls
    {
        get => _connectUrls;
        internal set
        {
            _connectUrls = value;
            if (value is { Length: > 1 }) LastUrlsWithPeers = value;
        }
    }

    private string[]? _connectUrls;

    /// <summary>
    /// The last <see cref="ConnectUrls"/> that named other nodes (this node first). A node the cluster
    /// removes has usually seen its peers go unreachable first; its clients are sent these to fail over to.
    /// </summary>
    public string[]? LastUrlsWithPeers { get; private set; }

    /// <summary>
    /// What clients are told (INFO and /varz <c>connect_urls</c>): nothing until another node has been
    /// seen, then every node's URL, this one alone once the others have gone (as nats-server).
    /// </summary>
    public string[]? AdvertisedConnectUrls => LastUrlsWithPeers is not null ? _connectUrls : null;

    /// <summary>This node's <see cref="Cluster.ClusterNodeActor"/>; null when not clustered.</summary>
    public IActorRef? ClusterNode => Parts.ClusterNode;

    /// <summary>This node's place in a supercluster; null without a <c>gateway</c> block.</summary>
    internal Gateways.GatewayNode? Gateway => Parts.Gateway;

    Gateways.GatewayNode? LeafNodes.ILeafHost.Gateway => Gateway;

    void LeafNodes.ILeafHost.SlowConsumerDetected() => Stats.SlowConsumerDetected();

    /// <summary>This node's <see cref="Gateways.GatewayActor"/>; null without a <c>gateway</c> block.</summary>
    internal IActorRef? GatewayActor => Parts.GatewayActor;

    /// <summary>This server's leaf nodes (the leafnode port and remotes); null without a <c>leafnodes</c> block.</summary>
    public LeafNodes.LeafNodeServer? LeafNodes { get; }

    /// <summary>The other cluster nodes this one talks to (/routez, /varz); null on a single broker.</summary>
    public Cluster.ClusterRoutes? ClusterRoutes => Parts.ClusterRoutes;

    /// <summary>Live connections by client id.</summary>
    public ConcurrentDictionary<ulong, ClientConnection> Connections { get; } = new();

    /// <summary>Live in-process connections by client id (numbered from the same sequence as network clients).</summary>
    public ConcurrentDictionary<ulong, IEmbeddedConnection> EmbeddedConnections { get; } = new();

    /// <summary>The last closed connections, for /connz?state=closed.</summary>
    public ClosedConnections ClosedConnections { get; } = new();

    /// <summary>
    /// Counts a new connection in the traffic totals until it finishes; then its final counts join
    /// the closed totals and its snapshot joins <see cref="ClosedConnections"/>. Off the message path.
    /// </summary>
    internal void Track(ClientConnection connection)
    {
        Stats.Track(connection);
        connection.KeepStateAtClose();
        _ = connection.Completion.ContinueWith(
            _ =>
            {
                try
                {
                    ClosedConnections.Add(ConnectionSnapshot.Of(connection));
                }
                finally
                {
                    Stats.Retire(connection);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }

    public ulong NextClientId() => (ulong)Interlocked.Increment(ref _nextClientId);

    void IClientHost.SlowConsumerDetected() => Stats.SlowConsumerDetected();

    void IClientHost.ConnectionFinished(ClientConnection connection) => Connections.TryRemove(connection.Id, out _);

    IActorRef? Cluster.IClusterHost.GatewayActor => GatewayActor;

    void Cluster.IClusterHost.ConnectUrlsChanged(string[] urls)
    {
        ConnectUrls = urls;
        foreach (var connection in Connections.Values) connection.SendInfoUpdate();
    }

    public ServerInfo CreateInfo(ulong clientId, string? clientIp, string? nonce = null) => new()
    {
        ServerId = ServerId,
        ServerName = ServerName,
        Version = ProtocolVersion,
        Go = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        Host = Options.Host,
        Port = Port,
        Headers = true,
        AuthRequired = Authenticator.AuthRequired,
        TlsRequired = Options.Tls is not null,
        TlsVerify = Options.Tls?.Verify ?? false,
        MaxPayload = Options.MaxPayload,
        ClientId = clientId,
        ClientIp = clientIp,
        Nonce = nonce,
        Cluster = Options.Cluster?.Name is { Length: > 0 } cluster ? cluster : Options.Gateway?.Name,
        ConnectUrls = Options.Cluster is { NoAdvertise: true } ? null : AdvertisedConnectUrls,
    };

}
