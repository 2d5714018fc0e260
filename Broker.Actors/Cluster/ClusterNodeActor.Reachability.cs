using Akka.Actor;
using Akka.Cluster;

namespace Broker.Cluster;

public sealed partial class ClusterNodeActor
{
    // Members Akka's failure detector calls unreachable now; a known one among them is kept while its data connection lives.
    private readonly HashSet<Address> _unreachable = [];

    /// <summary>
    /// Akka's failure detector missed the member's heartbeats. On a loaded machine that happens to
    /// a node that is alive and streaming (its heartbeats wait behind the traffic), and forgetting
    /// it then drops every message on its way there. A nats route lives as long as its connection
    /// does, so the node stays while its data connection runs: a killed process's connection is
    /// reset at once, a silent peer's is closed by its pings; either closing forgets it then
    /// (<see cref="OnOutboundClosed"/>), as being removed from the cluster does.
    /// </summary>
    private void OnUnreachable(Address address)
    {
        _unreachable.Add(address);
        if (_nodes.TryGetValue(address.ToString(), out var node) && node.Outbound.Connection is { IsRunning: true, IsClosed: false })
        {
            _server.Log.Warn($"Cluster node {node.Node} unreachable for the failure detector; its data connection is up, so its interest stays");
            return;
        }
        Forget(address, "unreachable");
    }

    /// <summary>A member heard from again: one that was kept needs nothing; one that was forgotten is admitted anew.</summary>
    private void OnReachable(Member member)
    {
        _unreachable.Remove(member.Address);
        if (_nodes.ContainsKey(member.Address.ToString()) || _apart.Contains(member.Address)) return;
        if (member.Status == MemberStatus.Up) ChallengeIfOther(member.Address);
    }
}
