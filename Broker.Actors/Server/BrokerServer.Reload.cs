using Akka.Actor;
using Broker.Accounts;
using Broker.Clients;
using Broker.Configuration;
using Broker.Protocol;
using Broker.Subjects;

namespace Broker.Server;

public sealed partial class BrokerServer
{
    /// <summary>
    /// The options a configuration reload can change on a running broker, by property name with
    /// nats-server's key for its "Reloaded: key = value" line. Each is read where it is used, so the
    /// new value holds from the next use: max_connections at the next accept (and the excess closed
    /// now), ping_interval for new connections, ping_max at the next ping, write_deadline at the next
    /// write, max_control_line at the next operation, max_payload now for every client (as nats-server,
    /// with no INFO), the lame duck timings when lame duck mode begins, TLS at the next handshake,
    /// cluster routes (see <see cref="ClusterRoutesReload"/>).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LiveReloadable = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(BrokerOptions.MaxConnections)] = "max_connections",
        [nameof(BrokerOptions.PingInterval)] = "ping_interval",
        [nameof(BrokerOptions.PingMax)] = "ping_max",
        [nameof(BrokerOptions.WriteDeadline)] = "write_deadline",
        [nameof(BrokerOptions.MaxTracedMsgLen)] = "max_traced_msg_len",
        [nameof(BrokerOptions.MaxPayload)] = "max_payload",
        [nameof(BrokerOptions.MaxControlLine)] = "max_control_line",
        [nameof(BrokerOptions.LameDuckDuration)] = "lame_duck_duration",
        [nameof(BrokerOptions.LameDuckGracePeriod)] = "lame_duck_grace_period",
        [nameof(BrokerOptions.AuthTimeout)] = "authorization timeout",
        [nameof(BrokerOptions.Tls)] = "tls",
        [nameof(BrokerOptions.Cluster)] = "cluster routes",
    };

    /// <summary>
    /// The options of authorization: a change to any of them re-checks every live client
    /// (<see cref="ClientConnection.Reauthorize"/>). nats-server logs them by these names.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> AuthorizationReloadable = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(BrokerOptions.Users)] = "authorization users",
        [nameof(BrokerOptions.Accounts)] = "accounts",
        [nameof(BrokerOptions.Token)] = "authorization token",
        [nameof(BrokerOptions.NoAuthUser)] = "no_auth_user",
    };

    /// <summary>Set at start: accounts a reload adds get their actors here.</summary>
    private ActorSystem _actorSystem = null!;

    /// <summary>Account actors a reload created, stopped with the broker.</summary>
    private readonly List<IActorRef> _reloadedAccountActors = [];

    /// <summary>Applies options only (see <see cref="ApplyReload(ReloadPlan)"/>).</summary>
    public void ApplyReload(BrokerOptions updated) => ApplyReload(ReloadPlan.OptionsOnly(updated));

    /// <summary>
    /// Applies a reload the caller has checked (it refused any change not in <see cref="LiveReloadable"/>
    /// or <see cref="AuthorizationReloadable"/>). As nats-server: when max_connections shrinks below
    /// the number connected, randomly chosen clients over the limit are closed with
    /// <c>-ERR 'maximum connections exceeded'</c>; when authorization changed, every client is
    /// re-checked. Clients whose identity and permissions did not change notice nothing.
    /// </summary>
    public void ApplyReload(ReloadPlan plan)
    {
        var updated = plan.Updated;
        var old = Context.Options;
        var previousAuthenticator = Context.Authenticator;
        if (plan.AuthorizationChanged) AddAccounts(updated).GetAwaiter().GetResult();
        Context.Options = old with
        {
            MaxConnections = updated.MaxConnections,
            PingInterval = updated.PingInterval,
            PingMax = updated.PingMax,
            WriteDeadline = updated.WriteDeadline,
            MaxTracedMsgLen = updated.MaxTracedMsgLen,
            MaxPayload = updated.MaxPayload,
            MaxControlLine = updated.MaxControlLine,
            LameDuckDuration = updated.LameDuckDuration,
            LameDuckGracePeriod = updated.LameDuckGracePeriod,
            AuthTimeout = updated.AuthTimeout,
            Tls = updated.Tls,
            Users = updated.Users,
            Accounts = updated.Accounts,
            Token = updated.Token,
            NoAuthUser = updated.NoAuthUser,
            // The caller refused any cluster change but its routes.
            Cluster = updated.Cluster,
        };
        if (Context.ClusterRoutes is { } routes && !Equals(old.Cluster?.Routes, updated.Cluster?.Routes)) routes.Options = updated.Cluster;
        if (plan.AuthorizationChanged || !Equals(old.Tls?.VerifyAndMap, updated.Tls?.VerifyAndMap))
        {
            Context.Authenticator = new Security.ClientAuthenticator(Context.Options, Context.OperatorAccounts);
        }
        if (plan.RewiredAccounts.Count > 0) RewireImports(Context.Options, plan.RewiredAccounts).GetAwaiter().GetResult();

        var clients = Context.Connections.Values.ToArray();
        if (!ReferenceEquals(previousAuthenticator, Context.Authenticator))
        {
            foreach (var client in clients) client.Reauthorize(previousAuthenticator);
        }
        if (old.MaxPayload != updated.MaxPayload || plan.AuthorizationChanged)
        {
            foreach (var client in clients) client.ApplyReloadedLimits();
        }

        var excess = Context.Connections.Count - updated.MaxConnections;
        if (excess <= 0) return;
        clients = Context.Connections.Values.ToArray();
        Random.Shared.Shuffle(clients);
        foreach (var client in clients.Take(excess)) client.Close(CloseReason.MaxConnectionsExceeded, ProtocolErrors.MaxConnectionsExceeded);
    }

    /// <summary>Accounts new in the file get their actor and shards before any client can be bound to them; limits apply to all.</summary>
    private async Task AddAccounts(BrokerOptions updated)
    {
        foreach (var configured in updated.Accounts)
        {
            var (account, created) = await Context.Accounts.GetOrAddAsync(configured.Name, async fresh =>
            {
                fresh.Limits = configured.Limits;
                var actor = _actorSystem.ActorOf(AccountActor.Props(fresh));
                lock (_reloadedAccountActors) _reloadedAccountActors.Add(actor);
                // Its constructor has attached the shards once it answers.
                await actor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }).ConfigureAwait(false);
            account.Limits = configured.Limits;
            if (!created) continue;
            // Other nodes may already have told of interest in it.
            Context.ClusterNode?.Tell(new Cluster.ClusterNodeActor.AccountAdded(configured.Name));
            Context.GatewayActor?.Tell(new Cluster.ClusterNodeActor.AccountAdded(configured.Name));
        }
    }

    /// <summary>
    /// Replaces the import subscriptions of the named accounts only: the others keep theirs, so no
    /// message of an unchanged import is missed while the changed ones are rebuilt.
    /// </summary>
    private async Task RewireImports(BrokerOptions updated, IReadOnlySet<string> names)
    {
        var exports = updated.Accounts.ToDictionary(a => a.Name, a => a.Exports, StringComparer.Ordinal);
        var changes = new PendingChanges();
        foreach (var name in names)
        {
            if (!Context.Accounts.TryGet(name, out var importer)) continue;
            importer.RemoveImports(changes);
            if (updated.Accounts.FirstOrDefault(a => a.Name == name) is not { } configured) continue;
            foreach (var (target, subscription) in ImportWiring.For(configured, exports, Context.Accounts, Context.ServerId))
                importer.AddImport(target, subscription, changes);
        }
        await changes.WhenAllApplied().ConfigureAwait(false);
    }

    /// <summary>Stops the account actors reloads added, once the broker has stopped.</summary>
    private void StopReloadedAccountsWithBroker() => _ = Stopped.ContinueWith(_ =>
    {
        lock (_reloadedAccountActors)
            foreach (var actor in _reloadedAccountActors) actor.Tell(PoisonPill.Instance);
    }, TaskScheduler.Default);
}
