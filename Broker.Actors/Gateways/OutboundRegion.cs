using Broker.Accounts;
using Broker.Cluster;
using Broker.Configuration;
using Broker.Links;
using Broker.Subjects;

namespace Broker.Gateways;

/// <summary>
/// One remote region as this node sends to it: the gateway URLs known for it (configured, then
/// learned from the region), the current outbound connection, and the region's interest held as
/// <see cref="GatewayLink"/> subscriptions in the local accounts. Owned by <see cref="GatewayActor"/>;
/// publishers only read <see cref="Connection"/> and take reply links.
/// </summary>
internal sealed class OutboundRegion
{
    private readonly HeldInterest<GatewayLink> _held;
    private readonly byte[] _replyPrefix;
    private readonly List<string> _urls;
    private volatile FramedConnection? _connection;
    private volatile System.Collections.Concurrent.ConcurrentDictionary<string, GatewayLink> _replyLinks = new(StringComparer.Ordinal);

    // Copies of the held interest's entries and of _urls that monitoring reads from its own threads (the originals are the actor's alone).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<InterestEntry, byte> _shownInterest = new();
    private volatile string[] _shownUrls;

    public OutboundRegion(RemoteGatewayOptions options, AccountDirectory accounts, byte[] replyPrefix)
    {
        Name = options.Name;
        Tag = System.Text.Encoding.ASCII.GetBytes(GatewayReplies.Tag(options.Name));
        _urls = options.Urls.Select(u => u.ToString()).ToList();
        _shownUrls = _urls.ToArray();
        _replyPrefix = replyPrefix;
        // Links are made for the connection of the moment; a new connection gets new ones.
        _held = new HeldInterest<GatewayLink>(accounts, account => new GatewayLink(account, _connection!, _replyPrefix));
    }

    public string Name { get; }

    /// <summary>What this node presents in its CONNECT to the region (<see cref="GatewayOptions.CredentialsFor"/>).</summary>
    public LinkCredentials? Credentials { get; init; }

    /// <summary>The TLS this node dials the region with (<see cref="GatewayOptions.TlsFor"/>); null: plain TCP.</summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>The tag replies to this region carry (<see cref="GatewayReplies"/>).</summary>
    public byte[] Tag { get; }

    public FramedConnection? Connection => _connection;

    /// <summary>True once the other side said it is the region expected (its INFO).</summary>
    public bool Established { get; private set; }

    /// <summary>The remote node this node's link goes to.</summary>
    public string RemoteNode { get; private set; } = "";

    public IReadOnlyList<string> Urls => _urls;

    public int InterestCount => _held.Count;

    /// <summary>The region's interest in effect here, readable from any thread (/gatewayz <c>accs</c>).</summary>
    public IReadOnlyCollection<InterestEntry> Interest => _shownInterest.Keys.ToArray();

    /// <summary>The gateway URLs known for the region, configured then learned, readable from any thread (/varz <c>gateway.gateways</c>).</summary>
    public IReadOnlyList<string> KnownUrls => _shownUrls;

    /// <summary>Where the next connection attempt goes: a rotation over the known URLs, started at a per-node offset so a region's nodes spread over the other's.</summary>
    public int NextUrl { get; set; }

    public void Connected(FramedConnection connection)
    {
        _connection = connection;
        _replyLinks = new(StringComparer.Ordinal);
        Established = false;
    }

    public void Introduced(GatewayFrames.InfoFrame info)
    {
        Established = true;
        RemoteNode = info.Node;
        foreach (var url in info.GatewayUrls)
        {
            if (!_urls.Contains(url)) _urls.Add(url);
        }
        _shownUrls = _urls.ToArray();
    }

    public void Add(InterestEntry entry, PendingChanges changes)
    {
        if (_connection is not null && _held.Add(entry, changes)) _shownInterest.TryAdd(entry, 0);
    }

    public void Remove(InterestEntry entry, PendingChanges changes)
    {
        if (_held.Remove(entry, changes)) _shownInterest.TryRemove(entry, out _);
    }

    /// <summary>An account was added here: the region's interest in it that was waiting takes effect.</summary>
    public void AccountAdded(string account, PendingChanges changes)
    {
        foreach (var entry in _held.WaitingFor(account)) Add(entry, changes);
    }

    /// <summary>The connection ended: the region's interest goes at once, and nothing more is sent on it.</summary>
    public void Disconnected(PendingChanges changes)
    {
        foreach (var entry in _held.Entries) Remove(entry, changes);
        foreach (var link in _held.TakeLinks()) link.Close();
        foreach (var link in _replyLinks.Values) link.Close();
        _connection = null;
        Established = false;
        RemoteNode = "";
    }

    /// <summary>A link for responses going to this region in <paramref name="account"/>; null while not connected. Called by publishers.</summary>
    public GatewayLink? ReplyLink(Account account)
    {
        if (_connection is not { } connection || connection.IsClosed) return null;
        var links = _replyLinks;
        if (links.TryGetValue(account.Name, out var link)) return link;
        // A static factory with its state as an argument: a capturing lambda would allocate on every call, hits included.
        return links.GetOrAdd(account.Name, static (name, state) => new GatewayLink(name, state.Connection, state.ReplyPrefix), (Connection: connection, ReplyPrefix: _replyPrefix));
    }
}
