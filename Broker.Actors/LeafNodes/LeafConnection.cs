using Broker.Links;
using System.Net;
using System.Net.Sockets;
using Broker.Accounts;
using Broker.Subjects;

namespace Broker.LeafNodes;

/// <summary>
/// One leaf node link, in either role: accepted on the leafnode port (this server is the hub) or
/// solicited to a remote's URL (this server is the leaf, a spoke). A subscriber in its bound
/// account holding the peer's interest (LS+/LS-) and sending it messages as LMSG/HMSG; and a
/// publisher of what the peer sends. Its read loop parses (Reading.cs); the handshake is in
/// Handshake.cs; whichever thread flushes first starts the writer (Writing.cs).
/// </summary>
public sealed partial class LeafConnection : Subscriber
{
    private readonly Socket _socket;
    private Stream _stream;
    private readonly ILeafHost _server;
    private readonly LeafNodeServer _leafs;
    private readonly LeafOutbound _outbound;
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closed;

    /// <summary>What may cross to the peer (messages sent, the peer's interest taken) and from it (messages taken, our interest told); null: all.</summary>
    private LeafSubjectRule? _outgoingRule;
    private LeafSubjectRule? _incomingRule;

    internal LeafConnection(Socket socket, ILeafHost server, LeafNodeServer leafs, ulong id, bool solicited)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _server = server;
        _leafs = leafs;
        Id = id;
        IsSolicited = solicited;
        IsSpoke = solicited;
        _outbound = new LeafOutbound(server.Options.MaxPending);
        _room = new RoomWaiter(() => IsClosed || _outbound.HasRoom);
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        Description = $"{RemoteEndPoint} - lid:{id}";
        Started = DateTime.UtcNow;
    }

    public ulong Id { get; }

    /// <summary>True when this server connected out to a hub (it is the leaf); false when the leaf connected to this hub.</summary>
    public bool IsSolicited { get; }

    /// <summary>
    /// True when this server is the link's spoke (leaf): it connected out, unless its remote says
    /// <c>hub: true</c>, in which case the acceptor is the spoke (told by CONNECT <c>is_hub</c>).
    /// </summary>
    public bool IsSpoke { get; private set; }

    /// <summary>The account the link is bound to; set once the handshake is done.</summary>
    public Account? Account { get; private set; }

    /// <summary>The peer's <c>server_name</c> (or id) and cluster, from its CONNECT or INFO.</summary>
    public string RemoteName { get; private set; } = "";
    public string RemoteServerId { get; private set; } = "";
    public string? RemoteCluster { get; private set; }

    public IPEndPoint? RemoteEndPoint { get; }
    public DateTime Started { get; }
    public string Description { get; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>True once the handshake completed: interest and messages flow from then on, not before.</summary>
    public bool IsEstablished { get; private set; }

    /// <summary>Why the link closed; null while open.</summary>
    public string? ClosedBecause { get; private set; }

    /// <summary>Completes once the link is closed and its interest gone.</summary>
    public Task Completion => _completion.Task;

    public long InMessages;
    public long InBytes;
    public long OutMessages => _outbound.OutMessages;
    public long OutBytes => _outbound.OutBytes;

    /// <summary>Distinct keys of the peer's interest held here (/leafz <c>subscriptions</c>).</summary>
    public int SubscriptionCount
    {
        get { lock (_subscriptionsGate) return _subscriptions.Count; }
    }

    /// <summary>True when this server is the hub of the link and in a supercluster: replies for other regions from the leaf come through it.</summary>
    internal bool TakesRegionReplies => !IsSpoke && _server.Gateway is not null;

    /// <summary>Queue groups serve this server's own subscribers first, then its leaf links' members.</summary>
    public override SubscriberReach Reach => SubscriberReach.Leaf;

    /// <summary>A hub's interest stays with the leaf node that has the link: the other nodes of a leaf cluster have their own.</summary>
    public override bool SharedWithCluster => !IsSpoke;

    /// <summary>
    /// Whether this link is told of <paramref name="subscription"/>'s interest. A hub tells a leaf
    /// everything in the account but the leaf's own; a leaf tells its hub only what is its own:
    /// local subscribers and leaves below it, not other hubs' interest (nor its cluster's, whose
    /// nodes have their own links).
    /// </summary>
    internal bool IsToldOf(Subscription subscription)
    {
        var owner = subscription.Owner;
        if (ReferenceEquals(owner, this)) return false;
        // Interest in what may not come from the peer is not declared (a wildcard overlapping a deny still is; messages are filtered).
        if (_incomingRule is { } rule && !rule.AdmitsInterest(subscription.SubjectText)) return false;
        if (!IsSpoke) return true;
        return owner.Reach is SubscriberReach.Local or SubscriberReach.Leaf && owner is not LeafConnection { IsSpoke: true };
    }

    /// <summary>Closes once: an optional -ERR goes out last, interest leaves the account, the socket closes when the writer is done.</summary>
    public void Close(string why, string? error = null)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        ClosedBecause = why;
        _outbound.Seal(error is null ? [] : Protocol.ProtocolErrors.Frame(error));
        if (error is not null) _server.Log.Error($"{Description} - {error}");
        var account = Account;
        if (account is not null && _leafs.InterestOf(account) is { } interest) interest.Detach(this);
        RemoveAllSubscriptions();
        _leafs.Closed(this);
        if (IsEstablished) _server.Log.Notice($"{Description} - Leafnode connection closed: {why} account: {account?.Name}");
        else _server.Log.Debug($"{Description} - Leafnode connection closed: {why}");
        _ = FinishAsync();
    }

    /// <summary>Lets the writer send what is queued (the -ERR above all), for a moment at most, then closes the socket.</summary>
    private async Task FinishAsync()
    {
        Flush();
        try
        {
            await _writerIdle.Task.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        _closing.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        _socket.Dispose();
        _completion.TrySetResult();
    }
}
