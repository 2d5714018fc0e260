using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Broker.Accounts;
using Broker.Links;
using Broker.Subjects;
using Broker.Security;

namespace Broker.Cluster;

/// <summary>
/// This node's side of the cluster: follows Akka.Cluster membership and takes the other nodes'
/// interest into the local indexes (as <see cref="NodeLink"/> subscriptions). A member that comes
/// (back) gets a <see cref="Challenge"/>, and once it has proved it holds the cluster's credentials
/// (<see cref="NodeAdmission"/>) a <see cref="Hello"/> each way over Akka; each side then
/// opens a data connection to the other's listener (as nats routes do), on which its interest and
/// its message batches travel in order (<see cref="NodeFrames"/>): they never pass through Akka
/// remoting nor this actor, which only applies the interest read from the peers' connections. A
/// node that becomes unreachable or leaves loses its interest and its connections at once.
/// </summary>
public sealed partial class ClusterNodeActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    /// <summary>The actor's name, the same on every node, so peers find it at <c>/user/broker-cluster</c>.</summary>
    public const string Name = "broker-cluster";

    private readonly IClusterHost _server;
    private readonly LocalInterest _local;
    private readonly ClusterRoutes _routes;
    private readonly Dictionary<string, RemoteNode> _nodes = new(StringComparer.Ordinal);
    // Interest a peer's connection brought before the peer's Hello (the two race): applied when it comes.
    private readonly Dictionary<string, List<InboundNodes.InterestArrived>> _early = new(StringComparer.Ordinal);
    private readonly NodeListener _listener;
    private readonly NodeAdmission _admission;
    private readonly InboundNodes _inboundNodes;
    private readonly PendingChanges _changes = new();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public static Props Props(IClusterHost server, LocalInterest local, ClusterRoutes routes) => Akka.Actor.Props.Create(() => new ClusterNodeActor(server, local, routes));

    public ClusterNodeActor(IClusterHost server, LocalInterest local, ClusterRoutes routes)
    {
        _server = server;
        _local = local;
        _routes = routes;
        _listener = new NodeListener(_cluster.SelfAddress.Host);
        _admission = new NodeAdmission(server.Options.Cluster?.Authorization, server.Options.Cluster?.Credentials);
        _inboundNodes = new InboundNodes(Self, server.Accounts, _routes, _admission);
        var self = Self;
        _routes.OptionsChanged += (old, updated) => self.Tell(new RoutesReloaded(old, updated));
        Ready();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Asks for the nodes this one knows and how much interest each has (tests wait on it).</summary>
    public sealed record GetPeers
    {
        public static readonly GetPeers Instance = new();
    }

    public sealed record Peers(IReadOnlyDictionary<string, int> InterestByNode);

    /// <summary>An account was added at run time (operator mode): other nodes' interest in it can now be held.</summary>
    public sealed record AccountAdded(string Account);

    protected override void PreStart()
    {
        _listener.Start(_inboundNodes, _server.Options.PingInterval, _server.Options.PingMax, _server.Options.Cluster?.Tls, _server.Log.Error);
        _server.Log.Notice($"Listening for cluster data connections on {_cluster.SelfAddress.Host}:{_listener.Port}{(_admission.Required ? " (authorization required)" : "")}");
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        if (LoneSeedFormation.PropsFor(_cluster) is { } formation) Context.ActorOf(formation, "lone-seed-formation");
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _listener.Stop();
        _inboundNodes.CloseAll();
        foreach (var node in _nodes.Values)
        {
            _local.Disconnect(node.Node);
            node.Drop(_changes);
        }
        foreach (var early in _early.Values) Discard(early);
        _routes.Clear();
    }

    private void Ready()
    {
        Receive<ClusterEvent.MemberUp>(m => ChallengeIfOther(m.Member.Address));
        Receive<ClusterEvent.ReachableMember>(m => OnReachable(m.Member));
        Receive<ClusterEvent.UnreachableMember>(m => OnUnreachable(m.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            _unreachable.Remove(m.Member.Address);
            _apart.Remove(m.Member.Address);
            Forget(m.Member.Address, "removed");
        });
        Receive<ClusterEvent.MemberLeft>(m => Forget(m.Member.Address, "leaving"));
        Receive<ClusterEvent.MemberExited>(m => Forget(m.Member.Address, "exiting"));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<Challenge>(OnChallenge);
        Receive<Proof>(OnProof);
        Receive<AdmissionTimeout>(OnAdmissionTimeout);
        Receive<Hello>(OnHello);
        Receive<EnterLameDuck>(_ => OnEnterLameDuck());
        Receive<RoutesReloaded>(OnRoutesReloaded);
        Receive<RouteRemoved>(OnRouteRemoved);
        Receive<InboundNodes.InterestArrived>(OnInterest);
        Receive<NodeOutbound.Closed>(OnOutboundClosed);
        Receive<Reconnect>(r => { if (IsCurrent(r.Outbound, out var node)) ConnectOut(node); });
        Receive<AccountAdded>(added =>
        {
            foreach (var node in _nodes.Values) node.AccountAdded(added.Account, _changes);
            AfterChanges();
        });
        Receive<GetPeers>(_ => Sender.Tell(new Peers(_nodes.Values.ToDictionary(n => n.Node, n => n.InterestCount))));
        Receive<DrainLinks>(OnDrainLinks);
        Receive<PeerLeaving>(OnPeerLeaving);
        Receive<PeerDrained>(OnPeerDrained);
        Receive<DepartureTimedOut>(_ => { if (_departure is { } departure) EndDeparture(departure); });
    }

    /// <summary>
    /// Interest changes reach the shard actors asynchronously; until they are applied, later
    /// messages wait, so a reply a local responder sends to a remote requester finds its interest.
    /// </summary>
    private void Waiting()
    {
        Receive<Applied>(_ =>
        {
            // Interest applied while waiting (below) may still be on its way to the shards.
            if (!_changes.IsEmpty)
            {
                _changes.WhenAllApplied().PipeTo(Self, success: () => Applied.Instance, failure: _ => Applied.Instance);
                return;
            }
            _waitingForChanges = false;
            Stash.UnstashAll();
            Become(Ready);
        });
        // Interest is not held back: each arrival is settled on its own (its connection's next batch waits
        // for it), so a peer's burst of changes reaches the shards back to back, not one round trip each.
        Receive<InboundNodes.InterestArrived>(OnInterest);
        ReceiveAny(_ => Stash.Stash());
    }

    private bool _waitingForChanges;

    private sealed record Applied
    {
        public static readonly Applied Instance = new();
    }

    private void AfterChanges()
    {
        var applied = _changes.WhenAllApplied();
        if (applied.IsCompleted || _waitingForChanges) return;
        _waitingForChanges = true;
        Become(Waiting);
        applied.PipeTo(Self, success: () => Applied.Instance, failure: _ => Applied.Instance);
    }

    private void ChallengeIfOther(Address address)
    {
        if (address == _cluster.SelfAddress) return;
        var challenge = _admission.Challenge(address);
        Context.ActorSelection(new RootActorPath(address) / "user" / Name).Tell(challenge, Self);
        // A member's broker starts a few seconds after it joins Akka: until then challenges are lost, so they are repeated, less and less often.
        var wait = TimeSpan.FromTicks(_admission.Timeout.Ticks * Math.Min(8, _admission.Attempts(address, challenge.Nonce)));
        Timers.StartSingleTimer($"admit-{address}", new AdmissionTimeout(address, challenge.Nonce), wait);
    }

    private sealed record AdmissionTimeout(Address Member, byte[] Nonce);

    private void OnChallenge(Challenge challenge)
    {
        Sender.Tell(_admission.Answer(challenge, _cluster.SelfAddress, Sender.Path.Address), Self);
        // Its broker is up now: ours, if still unanswered a while after it left, was probably sent before and lost.
        if (_admission.UnansweredFor(Sender.Path.Address) > TimeSpan.FromMilliseconds(500)) ChallengeIfOther(Sender.Path.Address);
        // A member we admitted asks again: it forgot us (it saw us unreachable), so it needs our Hello again, after the proof.
        if (_admission.IsAdmitted(Sender)) Sender.Tell(OwnHello(Sender), Self);
        // One we neither admitted nor asked: we forgot it (a route removed on either side) and it asks to come back.
        else if (_admission.UnansweredFor(Sender.Path.Address) == TimeSpan.Zero && _cluster.State.Members.Any(m => m.Address == Sender.Path.Address && m.Status == MemberStatus.Up))
        {
            _apart.Remove(Sender.Path.Address);
            ChallengeIfOther(Sender.Path.Address);
        }
    }

    private void OnProof(Proof proof)
    {
        switch (_admission.Check(proof, Sender, _cluster.SelfAddress, out var early))
        {
            case null:
                return;
            case false:
                Refuse(Sender.Path.Address, "it could not prove the cluster's credentials");
                return;
        }
        Timers.Cancel($"admit-{Sender.Path.Address}");
        _log.Debug("Cluster member {0} admitted", Sender.Path.Address);
        // With authorization a Hello is sealed with the key the member's challenge asked for: until this
        // node has answered it, the Hello waits for that answer (OnChallenge). Without, it goes at once.
        if (!_admission.Required || _admission.SealFor(Sender.Path.Address, _cluster.SelfAddress) is not null) Sender.Tell(OwnHello(Sender), Self);
        if (early is { } hello) OnHello(hello.Hello, hello.From);
    }

    /// <summary>
    /// No answer yet: asked again while it is a member. A member that never answers (no broker, or
    /// one still starting) is not refused for it, only never admitted: it is sent nothing and
    /// believed in nothing; a wrong answer is what gets a member downed.
    /// </summary>
    private void OnAdmissionTimeout(AdmissionTimeout timeout)
    {
        var attempts = _admission.Attempts(timeout.Member, timeout.Nonce);
        if (attempts == 0 || !_cluster.State.Members.Any(m => m.Address == timeout.Member && m.Status == MemberStatus.Up)) return;
        if (attempts == 3) _server.Log.Warn($"Cluster member {timeout.Member} has not answered the cluster's challenge yet: it gets nothing until it does");
        ChallengeIfOther(timeout.Member);
    }

    /// <summary>A member that is not a broker of this cluster: it gets nothing from this node, and is downed so it leaves the cluster.</summary>
    private void Refuse(Address member, string why)
    {
        _server.Log.Error($"Cluster member {member} refused: {why}");
        _admission.Forget(member);
        _cluster.Down(member);
    }

    private Hello OwnHello(IActorRef to) =>
        new(_local.Node, _lameDuck ? "" : _local.ClientUrl) { GatewayUrl = _local.GatewayUrl, DataPort = _listener.Port, Ticket = _admission.TicketFor(to) ?? "", Seal = _admission.SealFor(to.Path.Address, _cluster.SelfAddress) ?? [] };

    private void OnHello(Hello hello) => OnHello(hello, Sender);

    private void OnHello(Hello hello, IActorRef from)
    {
        var sender = from.Path.Address;
        if (!_admission.Sealed(hello.Seal, sender, _cluster.SelfAddress))
        {
            _server.Log.Error($"Cluster node ignored a Hello in the name of {sender} that does not carry its seal: not from that member, or one without the cluster's credentials");
            return;
        }
        if (!_admission.IsAdmitted(from))
        {
            // Before the proof that admits it (the two race), or from a stranger: kept for later, or ignored.
            _admission.HoldHello(hello, from);
            return;
        }
        // A node speaks for itself only: its id is its Akka address.
        if (hello.Node != sender.ToString())
        {
            _server.Log.Error($"Cluster member {sender} introduced itself as {hello.Node}: ignored");
            return;
        }
        // A Hello can still be in flight from a node that has since left: only members that are up may bring interest.
        if (!_cluster.State.Members.Any(m => m.Address == sender && m.Status == MemberStatus.Up)) return;
        if (_nodes.TryGetValue(hello.Node, out var known) && !known.Actor.Equals(from))
        {
            // The same address, a new incarnation: what the old one had is gone.
            _local.Disconnect(hello.Node);
            known.Drop(_changes);
            _nodes.Remove(hello.Node);
        }
        if (!_nodes.TryGetValue(hello.Node, out var node))
        {
            var route = _routes.Add(hello.Node, hello.ClientUrl, from);
            _nodes.Add(hello.Node, node = new RemoteNode(hello.Node, from, _server.Accounts, _local.Region, new NodeOutbound(hello.Node, Self), route)
            {
                DataHost = sender.Host ?? "", DataPort = hello.DataPort,
            });
            _server.Log.Notice($"Cluster node {hello.Node} connected (clients at {hello.ClientUrl})");
            // The peer may not have ours yet (ours goes when this node admits it, and could have been lost on the way).
            from.Tell(OwnHello(from), Self);
            node.Ticket = hello.Ticket;
            ConnectOut(node);
            if (_early.Remove(hello.Node, out var early)) ApplyEarly(node, early);
        }
        node.Ticket = hello.Ticket;
        node.ClientUrl = hello.ClientUrl;
        node.GatewayUrl = hello.GatewayUrl;
        UpdateConnectUrls();
        UpdateGatewayUrls();
        AfterChanges();
    }

    /// <summary>
    /// Opens this node's data connection to <paramref name="node"/>. Everything is queued on it at
    /// once (the introduction, the whole local interest, then what follows) and leaves once the
    /// socket connects, so nothing told meanwhile is lost or reordered.
    /// </summary>
    private void ConnectOut(RemoteNode node)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var connection = new FramedConnection(socket, node.Outbound, outbound: true);
        connection.Send(NodeFrames.EncodeIntroduce(node.Ticket));
        _local.Connect(node.Node, node.Responses, connection);
        node.Outbound.Use(connection);
        var (ping, pingMax, tls, host) = (_server.Options.PingInterval, _server.Options.PingMax, _server.Options.Cluster?.Tls, node.DataHost);
        _ = Task.Run(async () =>
        {
            try
            {
                await socket.ConnectAsync(host, node.DataPort).ConfigureAwait(false);
                if (tls is not null) connection.Over(await LinkTls.ConnectAsync(socket, tls, host, CancellationToken.None).ConfigureAwait(false));
                connection.Start(ping, pingMax);
            }
            catch (Exception e)
            {
                connection.Close($"cannot connect: {e.GetBaseException().Message}");
            }
        });
    }

    private sealed record Reconnect(NodeOutbound Outbound);

    private void OnOutboundClosed(NodeOutbound.Closed closed)
    {
        if (!IsCurrent(closed.Outbound, out var node) || !ReferenceEquals(closed.Outbound.Connection, closed.Connection)) return;
        if (_unreachable.Contains(node.Actor.Path.Address))
        {
            // Kept only while its data connection lived (see OnUnreachable): now it is gone for good.
            Forget(node.Actor.Path.Address, $"unreachable, and its data connection closed ({closed.Why})");
            return;
        }
        // The peer is still a member (else it was forgotten, and its outbound closed for good): try again, with a growing pause.
        _local.Disconnect(node.Node, closed.Connection);
        DepartureLost(node.Node);
        _log.Debug("Data connection to {0} closed ({1}); reconnecting in {2} ms", node.Node, closed.Why, node.RetryDelay.TotalMilliseconds);
        Timers.StartSingleTimer($"reconnect-{node.Node}", new Reconnect(closed.Outbound), node.RetryDelay);
        node.RetryDelay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, node.RetryDelay.Ticks * 2));
    }

    private bool IsCurrent(NodeOutbound outbound, out RemoteNode node) =>
        _nodes.TryGetValue(outbound.Node, out node!) && ReferenceEquals(node.Outbound, outbound);

    private void OnInterest(InboundNodes.InterestArrived arrived)
    {
        if (!_nodes.TryGetValue(arrived.Node, out var node) || node.Actor.Path.Uid != arrived.Uid)
        {
            // Before the node's Hello (or its new incarnation's): kept until it comes, or the node is forgotten.
            if (!_early.TryGetValue(arrived.Node, out var early)) _early.Add(arrived.Node, early = []);
            early.Add(arrived);
            return;
        }
        Apply(node, arrived);
        AfterChanges();
        Settle(arrived.Applied);
    }

    private void ApplyEarly(RemoteNode node, List<InboundNodes.InterestArrived> early)
    {
        foreach (var arrived in early)
        {
            if (arrived.Uid == node.Actor.Path.Uid) Apply(node, arrived);
        }
        foreach (var arrived in early) Settle(arrived.Applied);
    }

    private void Apply(RemoteNode node, InboundNodes.InterestArrived arrived)
    {
        if (arrived.Snapshot)
        {
            node.Replace(arrived.Added, _changes);
            return;
        }
        foreach (var entry in arrived.Removed) node.Remove(entry, _changes);
        foreach (var entry in arrived.Added) node.Add(entry, _changes);
    }

    /// <summary>Lets the connection's next batch through once every change so far is visible to publishers.</summary>
    private void Settle(TaskCompletionSource applied)
    {
        var all = _changes.WhenAllApplied();
        if (all.IsCompleted) applied.TrySetResult();
        else all.ContinueWith(_ => applied.TrySetResult(), TaskScheduler.Default);
    }

    private static void Discard(List<InboundNodes.InterestArrived> early)
    {
        foreach (var arrived in early) arrived.Applied.TrySetResult();
    }

    private void Forget(Address address, string why)
    {
        var id = address.ToString();
        _admission.Forget(address);
        Timers.Cancel($"admit-{address}");
        _local.Disconnect(id);
        _inboundNodes.CloseFrom(id);
        if (_early.Remove(id, out var early)) Discard(early);
        DepartureLost(id);
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
        _server.GatewayActor?.Tell(RegionGatewayUrlsChanged.Instance);
    }

    /// <summary>INFO <c>connect_urls</c>: every node's client URL, this one's first; clients hear of each change.</summary>
    private void UpdateConnectUrls()
    {
        // A node on its way out sees the others go too; telling its clients so would leave them
        // nowhere to fail over to. They keep the last list, which still names the nodes that stay.
        if (_cluster.SelfMember.Status is not (MemberStatus.Up or MemberStatus.Joining or MemberStatus.WeaklyUp)) return;
        var urls = _nodes.Values.Select(n => n.ClientUrl).Where(u => u.Length > 0).Order(StringComparer.Ordinal).Prepend(_local.ClientUrl).Distinct().ToArray();
        var current = _server.ConnectUrls;
        if (current is not null && current.SequenceEqual(urls)) return;
        _server.ConnectUrlsChanged(urls);
        _log.Debug("connect_urls now {0}", string.Join(", ", urls));
    }
}
