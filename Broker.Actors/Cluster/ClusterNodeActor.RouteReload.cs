using Akka.Actor;
using Akka.Cluster;
using Broker.Configuration;

namespace Broker.Cluster;

public sealed partial class ClusterNodeActor
{
    private sealed record RoutesReloaded(ClusterOptions? Old, ClusterOptions? Updated);

    // Members whose route was removed (here, or by them): not challenged again when they become reachable, only when a route is added or they ask.
    private readonly HashSet<Address> _apart = [];

    /// <summary>
    /// A reload removed routes: as nats-server closes a removed route's connection, this node says
    /// <see cref="RouteRemoved"/> to each peer at a removed endpoint and forgets it (data connections
    /// closed, interest dropped), though Akka keeps it a member. Routes added are challenged, so a
    /// peer forgotten that way is admitted again.
    /// </summary>
    private void OnRoutesReloaded(RoutesReloaded reloaded)
    {
        var before = reloaded.Old?.Routes ?? [];
        var after = reloaded.Updated?.Routes ?? [];
        foreach (var removed in before.Except(after))
        {
            foreach (var member in _cluster.State.Members.Where(m => At(m.Address, removed) && m.Address != _cluster.SelfAddress))
            {
                _apart.Add(member.Address);
                if (!_nodes.TryGetValue(member.Address.ToString(), out var node)) continue;
                node.Actor.Tell(new RouteRemoved(_admission.SealFor(node.Actor.Path.Address, _cluster.SelfAddress) ?? []), Self);
                Forget(member.Address, "route removed by a configuration reload");
            }
        }
        foreach (var added in after.Except(before))
        {
            foreach (var member in _cluster.State.Members.Where(m => m.Status == MemberStatus.Up && At(m.Address, added)))
            {
                _apart.Remove(member.Address);
                if (!_nodes.ContainsKey(member.Address.ToString())) ChallengeIfOther(member.Address);
            }
        }
    }

    /// <summary>
    /// A peer's reload removed its route to this node. Forgotten here too, unless this node's own
    /// routes name the peer: then it asks to be admitted again at once, as a nats-server whose
    /// route was closed by the other side solicits it again.
    /// </summary>
    private void OnRouteRemoved(RouteRemoved removed)
    {
        var peer = Sender.Path.Address;
        if (!_admission.IsAdmitted(Sender) || !_admission.Sealed(removed.Seal, peer, _cluster.SelfAddress)) return;
        Forget(peer, "removed its route to this node");
        if (_routes.IsConfigured(peer)) ChallengeIfOther(peer);
        else _apart.Add(peer);
    }

    private static bool At(Address address, ClusterEndpoint route) =>
        address.Port == route.Port && string.Equals(address.Host, route.Host, StringComparison.OrdinalIgnoreCase);
}
