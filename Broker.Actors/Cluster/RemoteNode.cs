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
internal sealed class RemoteNode(
    string node, IActorRef actor, AccountDirectory accounts, Gateways.RegionInterest? region, ClusterRoute? route = null, IActorRef? self = null)
{
    private readonly Dictionary<string, NodeLink> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<InterestEntry, (Account Account, Subscription Subscription)> _interest = new();
    // Interest in accounts this node does not have yet (operator mode adds them as their JWTs arrive).
    private readonly HashSet<InterestEntry> _waiting = new();

    public string Node { get; } = node;

    /// <summary>The node's <see cref="ClusterNodeActor"/>.</summary>
    public IActorRef Actor { get; } = actor;

    public string ClientUrl { get; set; } = "";

    public string GatewayUrl { get; set; } = "";

    public int InterestCount => _interest.Count;

    public void Add(InterestEntry entry, PendingChanges changes)
    {
        if (_interest.ContainsKey(entry)) return;
        if (!accounts.TryGet(entry.Account, out var account))
        {
            _waiting.Add(entry);
            return;
        }
        _waiting.Remove(entry);
        if (!_links.TryGetValue(entry.Account, out var link)) _links.Add(entry.Account, link = new NodeLink(entry.Account, Actor, route, self));
        var subscription = new Subscription(
            link, System.Text.Encoding.UTF8.GetBytes(entry.Subject), entry.Queue is null ? null : System.Text.Encoding.UTF8.GetBytes(entry.Queue), []);
        _interest.Add(entry, (account, subscription));
        route?.Interested(entry);
        account.Subscribe(subscription, changes);
        region?.Add(entry);
    }

    public void Remove(InterestEntry entry, PendingChanges changes)
    {
        _waiting.Remove(entry);
        if (!_interest.Remove(entry, out var held)) return;
        region?.Remove(entry);
        route?.NotInterested(entry);
        // Closed at once, so no publisher picks it (a queue group falls to another member) while the shard catches up.
        held.Subscription.Close();
        held.Account.Unsubscribe(held.Subscription, changes);
    }

    /// <summary>The node's whole interest: what it no longer has goes, what is new comes.</summary>
    public void Replace(IReadOnlyList<InterestEntry> interest, PendingChanges changes)
    {
        var wanted = interest.ToHashSet();
        foreach (var entry in _interest.Keys.Concat(_waiting).Where(e => !wanted.Contains(e)).ToArray()) Remove(entry, changes);
        foreach (var entry in wanted) Add(entry, changes);
    }

    /// <summary>An account was added here: the interest in it that was waiting takes effect.</summary>
    public void AccountAdded(string account, PendingChanges changes)
    {
        foreach (var entry in _waiting.Where(e => e.Account == account).ToArray()) Add(entry, changes);
    }

    /// <summary>The node left or became unreachable: all its interest goes, and nothing more is sent to it.</summary>
    public void Drop(PendingChanges changes)
    {
        foreach (var entry in _interest.Keys.ToArray()) Remove(entry, changes);
        _waiting.Clear();
        foreach (var link in _links.Values) link.Close();
    }
}
