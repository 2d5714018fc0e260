using Broker.LeafNodes;
using System.Text;
using Akka.Actor;
using Broker.Accounts;
using Broker.Clients;
using Broker.Monitoring;
using Broker.Subjects;
using Broker.Runtime;

namespace Broker.SystemAccount;

/// <summary>
/// The system account's events and requests, one actor per broker: it owns the statsz timer,
/// publishes every advisory, and answers the <c>$SYS.REQ</c> subjects. Connections only Tell it
/// what happened (control plane), so the message path pays nothing for events. A failure to
/// build or send one message is logged and dropped: the actor keeps its sequence and its state.
/// </summary>
public sealed class SystemEventsActor : ReceiveActor, IWithTimers
{
    /// <summary>nats-server sends the first statsz this soon after start and doubles the gap up to the interval.</summary>
    private static readonly TimeSpan FirstStatsz = TimeSpan.FromMilliseconds(250);

    private readonly ServerContext _server;
    private readonly Account _system;
    private readonly SystemApi _api;
    private readonly AccountActivity _activity;
    private readonly HashSet<ulong> _announced = new();
    private readonly HashSet<ulong> _closedFirst = new();
    private readonly PendingChanges _subscribed = new();
    private SystemPublisher _publisher = null!;
    private TimeSpan _statszGap;
    private ResolverExchange? _resolver;

    public static Props Props(ServerContext server, Account system, MonitorRouter router) =>
        Akka.Actor.Props.Create(() => new SystemEventsActor(server, system, router));

    public SystemEventsActor(ServerContext server, Account system, MonitorRouter router)
    {
        _server = server;
        _system = system;
        _api = new SystemApi(server, router);
        _activity = new AccountActivity(server);
        _statszGap = server.Options.StatszInterval < FirstStatsz ? server.Options.StatszInterval : FirstStatsz;

        Receive<ClientConnected>(m => Safely(() => OnConnected(m.Connection)));
        Receive<ClientDisconnected>(m => Safely(() => OnDisconnected(m.Connection)));
        Receive<AuthenticationFailed>(m => Safely(() => OnAuthenticationFailed(m)));
        Receive<LeafNodeConnected>(m => Safely(() => OnLeafNodeConnected(m.Account)));
        ReceiveAsync<SystemRequest>(async m =>
        {
            if (_resolver is not null && await _resolver.TryHandleAsync(m)) return;
            Safely(() => OnRequest(m));
        });
        ReceiveAsync<ResolverExchange.ApplyClaims>(async m => Sender.Tell(await _resolver!.ApplyAsync(m)));
        Receive<ResolverExchange.LookupAccount>(m => _resolver!.Lookup(m, Sender));
        Receive<ResolverExchange.PackTick>(_ => Safely(() => _resolver!.RequestPack()));
        Receive<StatszTick>(_ => Safely(OnStatszTick));
        ReceiveAsync<WhenReady>(async _ =>
        {
            await _subscribed.WhenAllApplied();
            Sender.Tell(Ready.Instance);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        var client = new SystemClient(Self);
        _publisher = new SystemPublisher(_server, client);
        var sid = 0;
        var subjects = SystemSubjects.Requests(_server.ServerId);
        if (_server.Options.Operator is { } mode)
        {
            _resolver = new ResolverExchange(_server, _system, _publisher, Context, Self);
            subjects = subjects.Concat(_resolver.Subjects(mode.Resolver));
            if (mode.Resolver.Kind == Configuration.ResolverKind.Full)
            {
                // As nats-server: a full resolver compares its store with the others' at start and every interval.
                Timers.StartSingleTimer("pack-first", ResolverExchange.PackTick.Instance, ResolverExchange.FirstPack);
                Timers.StartPeriodicTimer("pack", ResolverExchange.PackTick.Instance, mode.Resolver.Interval);
            }
        }
        foreach (var subject in subjects)
        {
            var subscription = new Subscription(client, Encoding.ASCII.GetBytes(subject), null, Encoding.ASCII.GetBytes((++sid).ToString()));
            _system.Subscribe(subscription, _subscribed);
        }
        if (_statszGap > TimeSpan.Zero) Timers.StartSingleTimer("statsz", StatszTick.Instance, _statszGap);
    }

    /// <summary>As nats-server 2.9: sent only where gateways exist (it tells the other regions to switch the account to interest-only).</summary>
    private void OnLeafNodeConnected(string account)
    {
        if (_server.Gateway is null) return;
        _publisher.TryPublish(_system, $"$SYS.ACCOUNT.{account}.LEAFNODE.CONNECT", server => new LeafNodeConnectEvent { Server = server, Account = account },
            SystemJsonContext.Relaxed.LeafNodeConnectEvent);
    }

    private void OnConnected(ClientConnection connection)
    {
        _activity.Joined(connection.Account);
        PublishConnections(connection.Account);
        if (!IsGlobal(connection.Account))
        {
            _publisher.TryPublish(_system, SystemSubjects.Connect(connection.Account.Name),
                sender => new ConnectEvent
                {
                    Id = _publisher.NextId(),
                    Timestamp = GoFormat.Time(DateTime.UtcNow),
                    Server = sender,
                    Client = EventClientInfo.Of(connection, connection.Options, stop: null),
                },
                SystemJsonContext.Relaxed.ConnectEvent);
        }
        // Its close may have overtaken this message (told from another thread): then announce that now.
        if (_closedFirst.Remove(connection.Id)) AnnounceDisconnect(connection);
        else _announced.Add(connection.Id);
    }

    private void OnDisconnected(ClientConnection connection)
    {
        _activity.Closed(connection);
        // A client never announced (refused, or gone before CONNECT) gets no disconnect either, as in nats-server.
        // The events follow the order in which they were told, not the state when the actor gets to them.
        if (_announced.Remove(connection.Id)) AnnounceDisconnect(connection);
        else if (connection.Announced) _closedFirst.Add(connection.Id);
    }

    private void AnnounceDisconnect(ClientConnection connection)
    {
        _activity.Left(connection.Account);
        PublishConnections(connection.Account);
        // As nats-server: no connect or disconnect advisories for the global account.
        if (IsGlobal(connection.Account)) return;
        _publisher.TryPublish(_system, SystemSubjects.Disconnect(connection.Account.Name),
            sender => Disconnect(connection, connection.Options, connection.Stopped ?? DateTime.UtcNow,
                ConnectionSnapshot.ReasonText(connection.ClosedBy), sender),
            SystemJsonContext.Relaxed.DisconnectEvent);
    }

    private void OnAuthenticationFailed(AuthenticationFailed failure) =>
        _publisher.TryPublish(_system, SystemSubjects.AuthError(_server.ServerId),
            sender => Disconnect(failure.Connection, failure.Attempted, failure.At, ConnectionSnapshot.ReasonText(CloseReason.AuthenticationViolation), sender),
            SystemJsonContext.Relaxed.DisconnectEvent);

    private DisconnectEvent Disconnect(ClientConnection connection, Protocol.ConnectOptions connect, DateTime stop, string reason, EventServerInfo sender)
    {
        var traffic = Traffic.Of(connection);
        return new DisconnectEvent
        {
            Id = _publisher.NextId(),
            Timestamp = GoFormat.Time(stop),
            Server = sender,
            Client = EventClientInfo.Of(connection, connect, stop),
            Sent = DataStats.In(traffic),
            Received = DataStats.Out(traffic),
            Reason = reason,
        };
    }

    /// <summary>The account's connection count: one event (one id), sent on both of nats-server's subjects.</summary>
    private void PublishConnections(Account account)
    {
        var id = _publisher.NextId();
        foreach (var subject in new[] { SystemSubjects.ConnectionsOld(account.Name), SystemSubjects.Connections(account.Name) })
        {
            _publisher.TryPublish(_system, subject, sender => _activity.Describe(account, id, sender),
                SystemJsonContext.Relaxed.AccountConnectionsEvent);
        }
    }

    private void OnRequest(SystemRequest request)
    {
        if (!SystemSubjects.TryParseRequest(request.Subject, out var kind, out var account)) return;
        var reply = request.Reply;
        if (reply.Length == 0)
        {
            // As nats-server: a statsz request without a reply asks for a broadcast; others need somewhere to answer.
            if (kind != "STATSZ") return;
            reply = SystemSubjects.Statsz(_server.ServerId);
        }
        if (_api.Answer(kind, account, request.Body) is { } answer) _publisher.TryPublish(_system, reply, answer);
    }

    private void OnStatszTick()
    {
        _publisher.TryPublish(_system, SystemSubjects.Statsz(_server.ServerId), _api.Statsz, SystemJsonContext.Relaxed.ServerStatsMessage);
        var interval = _server.Options.StatszInterval;
        _statszGap = _statszGap * 2 < interval ? _statszGap * 2 : interval;
        Timers.StartSingleTimer("statsz", StatszTick.Instance, _statszGap);
    }

    private bool IsGlobal(Account account) => ReferenceEquals(account, _server.Accounts.Global);

    private void Safely(Action handle)
    {
        try
        {
            handle();
        }
        catch (Exception e)
        {
            _server.Log.Error($"System account event failed: {e}");
        }
    }

    private sealed class StatszTick
    {
        public static readonly StatszTick Instance = new();
    }

    /// <summary>Ask: answered with <see cref="Ready"/> once the request subscriptions are in the index.</summary>
    public sealed class WhenReady
    {
        public static readonly WhenReady Instance = new();
        private WhenReady() { }
    }

    public sealed class Ready
    {
        public static readonly Ready Instance = new();
        private Ready() { }
    }
}
