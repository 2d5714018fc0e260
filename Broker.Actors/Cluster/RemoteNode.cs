using Akka.Actor;
using Broker.Accounts;
using Broker.Subjects;

namespace Broker.Cluster;

/// <summary>
/// Another node's interest as this node holds it: one subscription per (account, subject, queue
/// group) in the local account's index, owned by that account's <see cref="NodeLink"/> to the node.
/// The links send on <paramref name="outbound"/>, this node's data connection to the node.
/// Owned by <see cref="ClusterNodeActor"/>.
/// </summary>
/// <remarks>Its interest and its links' traffic are mirrored on <paramref name="route"/> for monitoring.</remarks>
internal sealed class RemoteNode(
    string node, IActorRef actor, AccountDirectory accounts, IRegionInterest? region, NodeOutbound outbound, ClusterRoute? route = null)
{
    private readonly HeldInterest<NodeLink> _held = new(accounts, account => new NodeLink(account, outbound, route));

    public string Node { get; } = node;

    /// <summary>The node's <see cref="ClusterNodeActor"/>.</summary>
    public IActorRef Actor { get; } = actor;

    public string ClientUrl { get; set; } = "";

    public string GatewayUrl { get; set; } = "";

    public NodeOutbound Outbound { get; } = outbound;

    /// <summary>Responses other regions send back through this node's gateway for the node's requesters.</summary>
    public NodeResponses Responses { get; } = new(outbound, route);

    /// <summary>Where the node takes data connections: its Akka host and the port its Hello named.</summary>
    public string DataHost { get; set; } = "";

    public int DataPort { get; set; }

    /// <summary>What this node's data connection presents first: the ticket the node gave this one in its Hello.</summary>
    public string Ticket { get; set; } = "";

    /// <summary>The wait before the next attempt when the data connection fails; doubles up to a limit.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public int InterestCount => _held.Count;

    public void Add(InterestEntry entry, PendingChanges changes)
    {
        if (!_held.Add(entry, changes)) return;
        route?.Interested(entry);
        region?.Add(entry);
    }

    public void Remove(InterestEntry entry, PendingChanges changes)
    {
        if (!_held.Remove(entry, changes)) return;
        region?.Remove(entry);
        route?.NotInterested(entry);
    }

    /// <summary>The node's whole interest: what it no longer has goes, what is new comes.</summary>
    public void Replace(IReadOnlyList<InterestEntry> interest, PendingChanges changes)
    {
        var wanted = interest.ToHashSet();
        foreach (var entry in _held.Entries.Where(e => !wanted.Contains(e))) Remove(entry, changes);
        foreach (var entry in wanted) Add(entry, changes);
    }

    /// <summary>An account was added here: the interest in it that was waiting takes effect.</summary>
    public void AccountAdded(string account, PendingChanges changes)
    {
        foreach (var entry in _held.WaitingFor(account)) Add(entry, changes);
    }

    /// <summary>Sends what the node's links have batched so far, ahead of anything queued after this call.</summary>
    public void FlushLinks()
    {
        foreach (var link in _held.Links) link.Flush();
        Responses.Flush();
    }

    /// <summary>The node left or became unreachable: all its interest goes, and nothing more is sent to it.</summary>
    public void Drop(PendingChanges changes)
    {
        foreach (var entry in _held.Entries) Remove(entry, changes);
        foreach (var link in _held.TakeLinks()) link.Close();
        Responses.Close();
        Outbound.Close("node dropped");
    }
}
