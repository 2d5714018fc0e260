using Akka.Actor;
using Broker.Accounts;
using Broker.Subjects;

namespace Broker.Cluster;

/// <summary>
/// This node's interest as the other nodes see it: local subscriptions counted per (account,
/// subject, queue group), so a thousand local subscribers of one subject make one remote interest.
/// Called on the subscribing connection's own thread, with the peers told under the same lock,
/// so a SUB's interest leaves for every peer before that connection's next PUB can: a request's
/// reply subject is known on the responder's node before the request gets there, as with nats
/// routes (RS+ before RMSG on one connection). Publishing never comes here.
/// </summary>
public sealed class LocalInterest(string node)
{
    private readonly object _gate = new();
    private readonly Dictionary<InterestEntry, int> _counts = new();
    private readonly Dictionary<Subscription, InterestEntry> _subscriptions = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, IActorRef> _peers = new(StringComparer.Ordinal);

    /// <summary>This node's id in the cluster (its Akka address), carried by what it sends.</summary>
    public string Node { get; } = node;

    /// <summary>This node's client URL, for the other nodes' INFO <c>connect_urls</c>.</summary>
    public string ClientUrl { get; set; } = "";

    /// <summary>Client and system subscriptions count; imports are applied on the publisher's node, and node links are others' interest.</summary>
    private static bool Counts(Subscription subscription) => subscription.Owner is not (NodeLink or StreamImport or ServiceImport);

    public void Subscribed(Account account, Subscription subscription)
    {
        if (!Counts(subscription)) return;
        lock (_gate)
        {
            var entry = new InterestEntry(account.Name, subscription.SubjectText, subscription.QueueText);
            if (!_subscriptions.TryAdd(subscription, entry)) return;
            _counts[entry] = _counts.GetValueOrDefault(entry) + 1;
            if (_counts[entry] == 1) TellPeers(new InterestChanged(Node, [entry], []));
        }
    }

    public void Unsubscribed(Subscription subscription)
    {
        if (!Counts(subscription)) return;
        lock (_gate)
        {
            if (!_subscriptions.Remove(subscription, out var entry)) return;
            var count = _counts[entry] - 1;
            if (count > 0)
            {
                _counts[entry] = count;
                return;
            }
            _counts.Remove(entry);
            TellPeers(new InterestChanged(Node, [], [entry]));
        }
    }

    /// <summary>
    /// Starts (or restarts) telling <paramref name="peer"/>: the whole interest now, in a
    /// <see cref="Hello"/>, and every change after it, in order.
    /// </summary>
    public void Connect(string peerNode, IActorRef peer, IActorRef self)
    {
        lock (_gate)
        {
            _peers[peerNode] = peer;
            peer.Tell(new Hello(Node, ClientUrl, _counts.Keys.ToArray()), self);
        }
    }

    public bool IsConnected(string peerNode)
    {
        lock (_gate) return _peers.ContainsKey(peerNode);
    }

    public void Disconnect(string peerNode)
    {
        lock (_gate) _peers.Remove(peerNode);
    }

    /// <summary>The entries other nodes know from this one (tests and monitoring).</summary>
    public IReadOnlyList<InterestEntry> Entries
    {
        get
        {
            lock (_gate) return _counts.Keys.ToArray();
        }
    }

    private void TellPeers(InterestChanged change)
    {
        foreach (var peer in _peers.Values) peer.Tell(change, ActorRefs.NoSender);
    }
}
