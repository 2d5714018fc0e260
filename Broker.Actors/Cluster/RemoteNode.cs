using Akka.Actor;
using Broker.Accounts;
using Broker.Subjects;

namespace Broker.Cluster;

/// <summary>
/// Another node's interest as this node holds it: one subscription per (account, subject, queue
/// group) in the local account's index, owned by that account's <see cref="NodeLink"/> to the node.
/// Owned by <see cref="ClusterNodeActor"/>.
/// </summary>
/// <remarks>Its interest and its links' traffic are mirrored on <paramref name="route"/> for monitoring; <paramref name="self"/> is this node's cluster actor.</remarks>
internal sealed class RemoteNode(string node, IActorRef actor, AccountDirectory accounts, ClusterRoute? route = null, IActorRef? self = null)
{
    private readonly Dictionary<string, NodeLink> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<InterestEntry, (Account Account, Subscription Subscription)> _interest = new();

    public string Node { get; } = node;

    /// <summary>The node's <see cref="ClusterNodeActor"/>.</summary>
    public IActorRef Actor { get; } = actor;

    public string ClientUrl { get; set; } = "";

    public int InterestCount => _interest.Count;

    public void Add(InterestEntry entry, PendingChanges changes)
    {
        // An account this node does not have (configured elsewhere only) cannot have publishers here.
        if (_interest.ContainsKey(entry) || !accounts.TryGet(entry.Account, out var account)) return;
        if (!_links.TryGetValue(entry.Account, out var link)) _links.Add(entry.Account, link = new NodeLink(entry.Account, Actor, route, self));
        var subscription = new Subscription(
            link, System.Text.Encoding.UTF8.GetBytes(entry.Subject), entry.Queue is null ? null : System.Text.Encoding.UTF8.GetBytes(entry.Queue), []);
        _interest.Add(entry, (account, subscription));
        route?.Interested(entry);
        account.Subscribe(subscription, changes);
    }

    public void Remove(InterestEntry entry, PendingChanges changes)
    {
        if (!_interest.Remove(entry, out var held)) return;
        route?.NotInterested(entry);
        // Closed at once, so no publisher picks it (a queue group falls to another member) while the shard catches up.
        held.Subscription.Close();
        held.Account.Unsubscribe(held.Subscription, changes);
    }

    /// <summary>The node's whole interest: what it no longer has goes, what is new comes.</summary>
    public void Replace(IReadOnlyList<InterestEntry> interest, PendingChanges changes)
    {
        var wanted = interest.ToHashSet();
        foreach (var entry in _interest.Keys.Where(e => !wanted.Contains(e)).ToArray()) Remove(entry, changes);
        foreach (var entry in wanted) Add(entry, changes);
    }

    /// <summary>The node left or became unreachable: all its interest goes, and nothing more is sent to it.</summary>
    public void Drop(PendingChanges changes)
    {
        foreach (var entry in _interest.Keys.ToArray()) Remove(entry, changes);
        foreach (var link in _links.Values) link.Close();
    }
}
