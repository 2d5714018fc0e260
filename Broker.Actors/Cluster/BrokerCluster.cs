using Akka.Actor;
using Akka.Cluster;
using Broker.Accounts;
using Broker.Configuration;

namespace Broker.Cluster;

/// <summary>
/// Joins a broker to the cluster its ActorSystem belongs to. A broker whose ActorSystem is not
/// clustered (the provider is not Akka.Cluster's) gets nothing of this, and stays exactly a single
/// broker, unless it is a region of its own in a supercluster.
/// </summary>
internal static class BrokerCluster
{
    public static bool IsClustered(ActorSystem system)
    {
        // By name: a type test would load Akka.Cluster and Akka.Remote here, clustered or not.
        for (var type = ((ExtendedActorSystem)system).Provider.GetType(); type is not null; type = type.BaseType)
        {
            if (type.FullName == ClusterProviderTypeName) return true;
        }
        return false;
    }

    private const string ClusterProviderTypeName = "Akka.Cluster.ClusterActorRefProvider";

    /// <summary>Whether this broker joins the broker cluster: its system is clustered and its options do not keep it out.</summary>
    public static bool Joins(ActorSystem system, BrokerOptions options) => options.JoinActorSystemCluster && IsClustered(system);

    /// <summary>
    /// Counts local interest from the first subscription on (imports and system ones included),
    /// for the other nodes and regions; null on a broker that has neither.
    /// </summary>
    public static LocalInterest? Attach(ActorSystem system, AccountDirectory accounts, BrokerOptions options, string serverId)
    {
        var clustered = Joins(system, options);
        if (!clustered && options.Gateway is null) return null;
        var interest = new LocalInterest(clustered ? Akka.Cluster.Cluster.Get(system).SelfAddress.ToString() : serverId);
        accounts.ClusterInterest = interest;
        return interest;
    }

    /// <summary>This node's client URL, as the other nodes pass it to their clients (INFO <c>connect_urls</c>).</summary>
    public static string ClientUrl(ActorSystem system, string host, int port)
    {
        if (host is "" or "0.0.0.0" or "::") host = Akka.Cluster.Cluster.Get(system).SelfAddress.Host ?? host;
        return host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
    }

    /// <summary>Starts talking to the other nodes, once the client port is known (<see cref="LocalInterest.ClientUrl"/> goes in every node's INFO).</summary>
    public static IActorRef Start(ActorSystem system, IClusterHost host, LocalInterest interest, ClusterRoutes routes) =>
        system.ActorOf(ClusterNodeActor.Props(host, interest, routes), ClusterNodeActor.Name);
}
