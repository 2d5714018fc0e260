using Broker.Configuration;

namespace Broker.Server;

/// <summary>
/// Which change of the <c>cluster</c> block a reload may apply: its <c>routes</c> only, as
/// nats-server 2.9 (which also reloads name, advertise and permissions; here those are refused).
/// The cluster is Akka.Cluster's: membership spreads by gossip, so a route added names a node that
/// joins through its own routes (and is then listed as configured in /routez), and a route removed
/// is closed (see <c>ClusterNodeActor.OnRoutesReloaded</c>). Listen address and port are never reloadable.
/// </summary>
public static class ClusterRoutesReload
{
    /// <summary>Null when <paramref name="updated"/> differs from <paramref name="old"/> in routes at most; else nats-server's refusal.</summary>
    public static string? Refusal(ClusterOptions? old, ClusterOptions? updated)
    {
        if (old is null || updated is null) return old == updated ? null : "config reload not supported for cluster";
        if (old.Listen != updated.Listen) return "config reload not supported for cluster host/port";
        if (old.Name != updated.Name) return $"config reload not supported for cluster name: old={old.Name}, new={updated.Name}";
        // Any other field of the block (compared with the routes taken over) is not reloadable either.
        return old with { Routes = updated.Routes } == updated ? null : "config reload not supported for cluster";
    }
}
