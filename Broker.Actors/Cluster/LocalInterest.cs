using Akka.Actor;
using Broker.Accounts;
using Broker.Subjects;
using Broker.Links;

namespace Broker.Cluster;

/// <summary>
/// This node's interest as the other nodes see it: local subscriptions counted per (account,
/// subject, queue group), so a thousand local subscribers of one subject make one remote interest.
/// Called on the subscribing connection's own thread, with the change queued on every peer's data
/// connection under the same lock, so a SUB's interest leaves for every peer before that
/// connection's next PUB can (its batches go on the same connections, after): a request's reply
/// subject is known on the responder's node before the request gets there, as with nats routes
/// (RS+ before RMSG on one connection). Publishing never comes here.
/// </summary>
public sealed class LocalInterest(string node) : IRemoteInterest
{
    private readonly object _gate = new();
    private readonly Dictionary<InterestEntry, int> _counts = new();
    private readonly Dictionary<Subscription, InterestEntry> _subscriptions = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, FramedConnection> _peers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IActorRef> _peersByTag = new(StringComparer.Ordinal);
    private IRegionInterest? _region;

    /// <summary>This node's id in the cluster (its Akka address), carried by what it sends.</summary>
    public string Node { get; } = node;

    /// <summary>This node's client URL, for the other nodes' INFO <c>connect_urls</c>.</summary>
    public string ClientUrl { get; set; } = "";

    /// <summary>This node's gateway URL in a supercluster, for the other nodes of the region.</summary>
    public string GatewayUrl { get; set; } = "";

    /// <summary>The gateway URLs of the region's other nodes (kept by <see cref="ClusterNodeActor"/>).</summary>
    public IReadOnlyList<string> RegionGatewayUrls { get; set; } = [];

    /// <summary>Client and system subscriptions count; imports are applied on the publisher's node, and node and gateway links are others' interest.</summary>
    private static bool Counts(Subscription subscription) =>
        subscription.Owner.SharedWithCluster && subscription.Owner is not (StreamImport or ServiceImport);

    /// <summary>Starts telling this node's interest to the region's, which other regions hear of: all of it now, every change after.</summary>
    internal void AttachRegion(IRegionInterest region)
    {
        lock (_gate)
        {
            _region = region;
            foreach (var entry in _counts.Keys) region.Add(entry);
        }
    }

    /// <summary>The region's interest, when this node is in a supercluster; other nodes' interest goes there too.</summary>
    internal IRegionInterest? Region
    {
        get
        {
            lock (_gate) return _region;
        }
    }

    /// <summary>The cluster peer whose gateway reply tag is <paramref name="tag"/>, for responses that come back through another node's gateway.</summary>
    public IActorRef? PeerByTag(string tag)
    {
        lock (_gate) return _peersByTag.GetValueOrDefault(tag);
    }

    public void Subscribed(Account account, Subscription subscription)
    {
        if (!Counts(subscription)) return;
        lock (_gate)
        {
            var entry = new InterestEntry(account.Name, subscription.SubjectText, subscription.QueueText);
            if (!_subscriptions.TryAdd(subscription, entry)) return;
            _counts[entry] = _counts.GetValueOrDefault(entry) + 1;
            if (_counts[entry] == 1)
            {
                TellPeers(entry, added: true);
                _region?.Add(entry);
            }
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
            TellPeers(entry, added: false);
            _region?.Remove(entry);
        }
    }

    /// <summary>
    /// Starts (or restarts, on a new connection) telling the peer <paramref name="peerNode"/> on
    /// <paramref name="connection"/>: the whole interest now, every change after it, in order.
    /// <paramref name="peer"/> is its cluster actor, for responses a gateway forwards.
    /// </summary>
    internal void Connect(string peerNode, IActorRef peer, FramedConnection connection)
    {
        lock (_gate)
        {
            _peers[peerNode] = connection;
            _peersByTag[NameTag.Of(peerNode)] = peer;
            connection.Send(NodeFrames.EncodeSnapshot(_counts.Keys.ToArray()));
        }
    }

    /// <summary>Stops telling the peer anything (on <paramref name="connection"/> only, when given: a newer one stays).</summary>
    internal void Disconnect(string peerNode, FramedConnection? connection = null)
    {
        lock (_gate)
        {
            if (connection is not null && (!_peers.TryGetValue(peerNode, out var current) || !ReferenceEquals(current, connection))) return;
            _peers.Remove(peerNode);
            _peersByTag.Remove(NameTag.Of(peerNode));
        }
    }

    /// <summary>The entries other nodes know from this one (tests and monitoring).</summary>
    public IReadOnlyList<InterestEntry> Entries
    {
        get
        {
            lock (_gate) return _counts.Keys.ToArray();
        }
    }

    private void TellPeers(InterestEntry entry, bool added)
    {
        if (_peers.Count == 0) return;
        // One frame for every peer: the connections only read it.
        var frame = added ? NodeFrames.EncodeInterest([entry], []) : NodeFrames.EncodeInterest([], [entry]);
        foreach (var peer in _peers.Values) peer.Send(frame);
    }
}
