using Broker.Accounts;
using Broker.Cluster;
using Broker.Configuration;
using Broker.Subjects;

namespace Broker.Gateways;

/// <summary>
/// One remote region as this node sends to it: the gateway URLs known for it (configured, then
/// learned from the region), the current outbound connection, and the region's interest held as
/// <see cref="GatewayLink"/> subscriptions in the local accounts. Owned by <see cref="GatewayActor"/>;
/// publishers only read <see cref="Connection"/> and take reply links.
/// </summary>
internal sealed class OutboundRegion(RemoteGatewayOptions options, AccountDirectory accounts, byte[] replyPrefix)
{
    private readonly Dictionary<string, GatewayLink> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<InterestEntry, (Account Account, Subscription Subscription)> _interest = new();
    private readonly List<string> _urls = options.Urls.Select(u => u.ToString()).ToList();

    // Copies of _interest's keys and _urls that monitoring reads from its own threads (the originals are the actor's alone).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<InterestEntry, byte> _shownInterest = new();
    private volatile string[] _shownUrls = options.Urls.Select(u => u.ToString()).ToArray();
    private volatile GatewayConnection? _connection;
    private volatile System.Collections.Concurrent.ConcurrentDictionary<string, GatewayLink> _replyLinks = new(StringComparer.Ordinal);

    public string Name { get; } = options.Name;

    /// <summary>The tag replies to this region carry (<see cref="GatewayReplies"/>).</summary>
    public byte[] Tag { get; } = System.Text.Encoding.ASCII.GetBytes(GatewayReplies.Tag(options.Name));

    public GatewayConnection? Connection => _connection;

    /// <summary>True once the other side said it is the region expected (its INFO).</summary>
    public bool Established { get; private set; }

    /// <summary>The remote node this node's link goes to.</summary>
    public string RemoteNode { get; private set; } = "";

    public IReadOnlyList<string> Urls => _urls;

    public int InterestCount => _interest.Count;

    /// <summary>The region's interest held here, readable from any thread (/gatewayz <c>accs</c>).</summary>
    public IReadOnlyCollection<InterestEntry> Interest => _shownInterest.Keys.ToArray();

    /// <summary>The gateway URLs known for the region, configured then learned, readable from any thread (/varz <c>gateway.gateways</c>).</summary>
    public IReadOnlyList<string> KnownUrls => _shownUrls;

    /// <summary>Where the next connection attempt goes: a rotation over the known URLs, started at a per-node offset so a region's nodes spread over the other's.</summary>
    public int NextUrl { get; set; }

    public void Connected(GatewayConnection connection)
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
        if (_connection is not { } connection || _interest.ContainsKey(entry) || !accounts.TryGet(entry.Account, out var account)) return;
        if (!_links.TryGetValue(entry.Account, out var link)) _links.Add(entry.Account, link = new GatewayLink(entry.Account, connection, replyPrefix));
        var subscription = new Subscription(
            link, System.Text.Encoding.UTF8.GetBytes(entry.Subject), entry.Queue is null ? null : System.Text.Encoding.UTF8.GetBytes(entry.Queue), []);
        _interest.Add(entry, (account, subscription));
        _shownInterest.TryAdd(entry, 0);
        account.Subscribe(subscription, changes);
    }

    public void Remove(InterestEntry entry, PendingChanges changes)
    {
        if (!_interest.Remove(entry, out var held)) return;
        _shownInterest.TryRemove(entry, out _);
        held.Subscription.Close();
        held.Account.Unsubscribe(held.Subscription, changes);
    }

    /// <summary>The connection ended: the region's interest goes at once, and nothing more is sent on it.</summary>
    public void Disconnected(PendingChanges changes)
    {
        foreach (var entry in _interest.Keys.ToArray()) Remove(entry, changes);
        foreach (var link in _links.Values) link.Close();
        foreach (var link in _replyLinks.Values) link.Close();
        _links.Clear();
        _connection = null;
        Established = false;
        RemoteNode = "";
    }

    /// <summary>A link for responses going to this region in <paramref name="account"/>; null while not connected. Called by publishers.</summary>
    public GatewayLink? ReplyLink(Account account)
    {
        if (_connection is not { } connection || connection.IsClosed) return null;
        var links = _replyLinks;
        return links.TryGetValue(account.Name, out var link) ? link : links.GetOrAdd(account.Name, name => new GatewayLink(name, connection, replyPrefix));
    }
}
