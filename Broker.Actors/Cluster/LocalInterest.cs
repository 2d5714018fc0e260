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
    private readonly Dictionary<string, NodeResponses> _responses = new(StringComparer.Ordinal);
    // A copy of _responses' values that gateway read loops scan without the lock (a handful of peers).
    private volatile NodeResponses[] _responders = [];
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

    /// <summary>Where responses go for the connected peer whose gateway reply tag is <paramref name="tag"/>; null for none. Allocates nothing.</summary>
    internal NodeResponses? ResponsesFor(ReadOnlySpan<byte> tag)
    {
        foreach (var responses in _responders)
        {
            if (tag.SequenceEqual(responses.Tag)) return responses;
        }
        return null;
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
    /// <paramref name="responses"/> takes the responses a gateway forwards to it.
    /// </summary>
    internal void Connect(string peerNode, NodeResponses responses, FramedConnection connection)
    {
        lock (_gate)
        {
            _peers[peerNode] = connection;
            _responses[peerNode] = responses;
            _responders = [.. _responses.Values];
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
            _responses.Remove(peerNode);
            _responders = [.. _responses.Values];
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
