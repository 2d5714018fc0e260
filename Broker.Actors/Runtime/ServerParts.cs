using System.Net;
using System.Runtime.CompilerServices;
using Akka.Actor;

namespace Broker.Runtime;

/// <summary>
/// The parts of a server that exist only once <c>BrokerServer.StartAsync</c> has started them, in
/// this order: the system events actor, the client port, the gateway, the cluster node with its
/// routes, the monitoring endpoint. Owned by that start: each is set once, before the first
/// client is accepted, and never changes after (a second set throws). Until then, and for a part
/// not configured, it reads null (the port 0). <see cref="ServerContext"/> shows them to the layers below.
/// </summary>
public sealed class ServerParts
{
    private IActorRef? _systemEvents;
    private int? _port;
    private Gateways.GatewayNode? _gateway;
    private IActorRef? _gatewayActor;
    private IActorRef? _clusterNode;
    private Cluster.ClusterRoutes? _clusterRoutes;
    private IPEndPoint? _monitorEndpoint;

    /// <summary>The system events actor; null without a system account (<c>no_system_account</c>).</summary>
    public IActorRef? SystemEvents { get => _systemEvents; internal set => Once(ref _systemEvents, value); }

    /// <summary>The port the client listener bound.</summary>
    public int Port { get => _port ?? 0; internal set => Once(ref _port, value); }

    /// <summary>This node's place in a supercluster; null without a <c>gateway</c> block.</summary>
    internal Gateways.GatewayNode? Gateway { get => _gateway; set => Once(ref _gateway, value); }

    /// <summary>This node's <see cref="Gateways.GatewayActor"/>; null without a <c>gateway</c> block.</summary>
    internal IActorRef? GatewayActor { get => _gatewayActor; set => Once(ref _gatewayActor, value); }

    /// <summary>This node's <see cref="Cluster.ClusterNodeActor"/>; null when not clustered.</summary>
    public IActorRef? ClusterNode { get => _clusterNode; internal set => Once(ref _clusterNode, value); }

    /// <summary>The other cluster nodes this one talks to (/routez, /varz); null on a single broker.</summary>
    public Cluster.ClusterRoutes? ClusterRoutes { get => _clusterRoutes; internal set => Once(ref _clusterRoutes, value); }

    /// <summary>The monitoring listener's bound endpoint; null when monitoring is off.</summary>
    public IPEndPoint? MonitorEndpoint { get => _monitorEndpoint; internal set => Once(ref _monitorEndpoint, value); }

    private static void Once<T>(ref T? field, T? value, [CallerMemberName] string part = "") where T : class
    {
        if (field is not null) throw new InvalidOperationException($"the server's {part} is set once, at start");
        field = value;
    }

    private static void Once(ref int? field, int value, [CallerMemberName] string part = "")
    {
        if (field is not null) throw new InvalidOperationException($"the server's {part} is set once, at start");
        field = value;
    }
}
