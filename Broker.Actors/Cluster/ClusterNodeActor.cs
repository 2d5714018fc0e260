using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Broker.Accounts;
using Broker.Server;

namespace Broker.Cluster;

/// <summary>
/// This node's side of the cluster: follows Akka.Cluster membership, takes the other nodes'
/// interest into the local indexes (as <see cref="NodeLink"/> subscriptions) and delivers the
/// messages they send to local subscribers. A node that becomes unreachable or leaves loses its
/// interest at once; one that comes (back) gets a full exchange: <see cref="Greet"/>, then a
/// <see cref="Hello"/> each way. Publishing never passes through this actor.
/// </summary>
public sealed class ClusterNodeActor : ReceiveActor, IWithUnboundedStash
{
    /// <summary>The actor's name, the same on every node, so peers find it at <c>/user/broker-cluster</c>.</summary>
    public const string Name = "broker-cluster";

    private readonly ServerContext _server;
    private readonly LocalInterest _local;
    private readonly InboundDelivery _inbound;
    private readonly ClusterRoutes _routes;
    private readonly Dictionary<string, RemoteNode> _nodes = new(StringComparer.Ordinal);
    private readonly PendingChanges _changes = new();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public static Props Props(ServerContext server, LocalInterest local) => Akka.Actor.Props.Create(() => new ClusterNodeActor(server, local));

    public ClusterNodeActor(ServerContext server, LocalInterest local)
    {
        _server = server;
        _local = local;
        _inbound = new InboundDelivery(server.Accounts);
        _routes = server.ClusterRoutes ?? new ClusterRoutes(server.Options.Cluster, server.NextClientId);
        Ready();
    }

    public IStash Stash { get; set; } = null!;

    /// <summary>Asks for the nodes this one knows and how much interest each has (tests wait on it).</summary>
    public sealed record GetPeers
    {
        public static readonly GetPeers Instance = new();
    }

    public sealed record Peers(IReadOnlyDictionary<string, int> InterestByNode);

    /// <summary>An account was added at run time (operator mode): other nodes' interest in it can now be held.</summary>
    public sealed record AccountAdded(string Account);

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        foreach (var node in _nodes.Values) node.Drop(_changes);
        _routes.Clear();
    }

    private void Ready()
    {
        Receive<ClusterEvent.MemberUp>(m => GreetIfOther(m.Member.Address));
        Receive<ClusterEvent.ReachableMember>(m => { if (m.Member.Status == MemberStatus.Up) GreetIfOther(m.Member.Address); });
        Receive<ClusterEvent.UnreachableMember>(m => Forget(m.Member.Address, "unreachable"));
        Receive<ClusterEvent.MemberRemoved>(m => Forget(m.Member.Address, "removed"));
        Receive<ClusterEvent.MemberLeft>(m => Forget(m.Member.Address, "leaving"));
        Receive<ClusterEvent.MemberExited>(m => Forget(m.Member.Address, "exiting"));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<Greet>(_ => _local.Connect(NodeOf(Sender), Sender, Self));
        Receive<Hello>(OnHello);
        Receive<InterestChanged>(OnInterestChanged);
        Receive<MessageBatch>(batch => _inbound.Deliver(batch, _routes.Of(Sender)));
        Receive<AccountAdded>(added =>
        {
            foreach (var node in _nodes.Values) node.AccountAdded(added.Account, _changes);
            AfterChanges();
        });
        Receive<GetPeers>(_ => Sender.Tell(new Peers(_nodes.Values.ToDictionary(n => n.Node, n => n.InterestCount))));
    }

    /// <summary>
    /// Interest changes reach the shard actors asynchronously; until they are applied, later
    /// messages wait, so a reply a local responder sends to a remote requester finds its interest.
    /// </summary>
    private void Waiting()
    {
        Receive<Applied>(_ =>
        {
            Stash.UnstashAll();
            Become(Ready);
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private sealed record Applied
    {
        public static readonly Applied Instance = new();
    }

    private void AfterChanges()
    {
        var applied = _changes.WhenAllApplied();
        if (applied.IsCompleted) return;
        Become(Waiting);
        applied.PipeTo(Self, success: () => Applied.Instance, failure: _ => Applied.Instance);
    }

    private void GreetIfOther(Address address)
    {
        if (address == _cluster.SelfAddress) return;
        Context.ActorSelection(new RootActorPath(address) / "user" / Name).Tell(Greet.Instance, Self);
    }

    private void OnHello(Hello hello)
    {
        // A Hello can still be in flight from a node that has since left: only members that are up may bring interest.
        var sender = Sender.Path.Address;
        if (!_cluster.State.Members.Any(m => m.Address == sender && m.Status == MemberStatus.Up)) return;
        if (_nodes.TryGetValue(hello.Node, out var known) && !known.Actor.Equals(Sender))
        {
            // The same address, a new incarnation: what the old one had is gone.
            known.Drop(_changes);
            _nodes.Remove(hello.Node);
        }
        if (!_nodes.TryGetValue(hello.Node, out var node))
        {
            _nodes.Add(hello.Node, node = new RemoteNode(hello.Node, Sender, _server.Accounts, _local.Region, _routes.Add(hello.Node, hello.ClientUrl, Sender), Self));
            _server.Log.Notice($"Cluster node {hello.Node} connected (clients at {hello.ClientUrl})");
        }
        node.ClientUrl = hello.ClientUrl;
        node.GatewayUrl = hello.GatewayUrl;
        node.Replace(hello.Interest, _changes);
        if (!_local.IsConnected(hello.Node)) _local.Connect(hello.Node, Sender, Self);
        UpdateConnectUrls();
        UpdateGatewayUrls();
        AfterChanges();
    }

    private void OnInterestChanged(InterestChanged changed)
    {
        // From a node forgotten since (unreachable): ignored until its next Hello brings everything.
        if (!_nodes.TryGetValue(changed.Node, out var node)) return;
        foreach (var entry in changed.Removed) node.Remove(entry, _changes);
        foreach (var entry in changed.Added) node.Add(entry, _changes);
        AfterChanges();
    }

    private void Forget(Address address, string why)
    {
        var id = address.ToString();
        _local.Disconnect(id);
        if (!_nodes.Remove(id, out var node)) return;
        _routes.Remove(id);
        node.Drop(_changes);
        _server.Log.Notice($"Cluster node {id} {why}: its interest is dropped");
        UpdateConnectUrls();
        UpdateGatewayUrls();
        AfterChanges();
    }

    /// <summary>The region's gateway URLs, which other regions learn from this node's INFO.</summary>
    private void UpdateGatewayUrls()
    {
        var urls = _nodes.Values.Select(n => n.GatewayUrl).Where(u => u.Length > 0).Order(StringComparer.Ordinal).ToArray();
        if (urls.SequenceEqual(_local.RegionGatewayUrls)) return;
        _local.RegionGatewayUrls = urls;
        _server.GatewayActor?.Tell(Gateways.GatewayActor.RegionChanged.Instance);
    }

    private static string NodeOf(IActorRef actor) => actor.Path.Address.ToString();

    /// <summary>INFO <c>connect_urls</c>: every node's client URL, this one's first; clients hear of each change.</summary>
    private void UpdateConnectUrls()
    {
        // A node on its way out sees the others go too; telling its clients so would leave them
        // nowhere to fail over to. They keep the last list, which still names the nodes that stay.
        if (_cluster.SelfMember.Status is not (MemberStatus.Up or MemberStatus.Joining or MemberStatus.WeaklyUp)) return;
        var urls = _nodes.Values.Select(n => n.ClientUrl).Where(u => u.Length > 0).Order(StringComparer.Ordinal).Prepend(_local.ClientUrl).Distinct().ToArray();
        var current = _server.ConnectUrls;
        if (current is not null && current.SequenceEqual(urls)) return;
        _server.ConnectUrls = urls;
        foreach (var connection in _server.Connections.Values) connection.SendInfoUpdate();
        _log.Debug("connect_urls now {0}", string.Join(", ", urls));
    }
}
