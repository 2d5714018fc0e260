using Akka.Actor;
using Akka.Cluster;
using Broker.Accounts;
using Broker.Configuration;
using Broker.Runtime;

namespace Broker.Cluster;

/// <summary>
/// Joins a broker to the cluster its ActorSystem belongs to. A broker whose ActorSystem is not
/// clustered (the provider is not Akka.Cluster's) gets nothing of this, and stays exactly a single
/// broker, unless it is a region of its own in a supercluster.
/// </summary>
internal static class BrokerCluster
{
    public static bool IsClustered(ActorSystem system) => ((ExtendedActorSystem)system).Provider is ClusterActorRefProvider;

    /// <summary>
    /// Counts local interest from the first subscription on (imports and system ones included),
    /// for the other nodes and regions; null on a broker that has neither.
    /// </summary>
    public static LocalInterest? Attach(ActorSystem system, AccountDirectory accounts, BrokerOptions options, string serverId)
    {
        var clustered = IsClustered(system);
        if (!clustered && options.Gateway is null) return null;
        var interest = new LocalInterest(clustered ? Akka.Cluster.Cluster.Get(system).SelfAddress.ToString() : serverId);
        accounts.ClusterInterest = interest;
        return interest;
    }

    /// <summary>Starts talking to the other nodes, once the client port is known (it goes in every node's INFO).</summary>
    public static IActorRef Start(ActorSystem system, ServerContext context, LocalInterest interest)
    {
        var host = context.Options.Host;
        if (host is "" or "0.0.0.0" or "::") host = Akka.Cluster.Cluster.Get(system).SelfAddress.Host ?? host;
        interest.ClientUrl = host.Contains(':') ? $"[{host}]:{context.Port}" : $"{host}:{context.Port}";
        context.ConnectUrls = [interest.ClientUrl];
        context.ClusterRoutes = new ClusterRoutes(context.Options.Cluster, context.NextClientId);
        return context.ClusterNode = system.ActorOf(ClusterNodeActor.Props(context, interest), ClusterNodeActor.Name);
    }
}
