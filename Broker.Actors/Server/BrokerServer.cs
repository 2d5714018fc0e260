using System.Net;
using Akka.Actor;
using Broker.Accounts;
using Broker.Configuration;
using Broker.Logging;
using Broker.Monitoring;
using Broker.Subjects;
using Broker.SystemAccount;
using Broker.Runtime;

namespace Broker.Server;

/// <summary>
/// A running broker inside an ActorSystem: the entry point for hosts and for applications that
/// embed the broker in their own actor system.
/// </summary>
public sealed partial class BrokerServer : IAsyncDisposable
{
    /// <summary>Literal subject shards per account; the wildcard shard comes on top.</summary>
    private const int SubjectShards = 4;

    private static long s_instances;

    private readonly ClientListener _listener;
    private readonly IActorRef _serverActor;
    private readonly IActorRef[] _actors;
    private readonly MonitorServer? _monitor;
    private readonly BrokerMetrics _metrics;
    private readonly object _shutdownGate = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _shutdown;
    private IDisposable? _heapReclaim;

    private BrokerServer(
        ServerContext context, ClientListener listener, IActorRef serverActor, IActorRef[] actors, MonitorServer? monitor, BrokerMetrics metrics)
    {
        Context = context;
        _listener = listener;
        _serverActor = serverActor;
        _actors = actors;
        _monitor = monitor;
        _metrics = metrics;
    }

    /// <summary>Shared state of this broker (options, accounts, live connections, counters).</summary>
    public ServerContext Context { get; }

    /// <summary>The client listener's bound endpoint (the real port when 0 was asked for).</summary>
    public IPEndPoint ClientEndpoint => _listener.EndPoint;

    /// <summary>The leafnode port's bound endpoint; null without one.</summary>
    public IPEndPoint? LeafNodeEndpoint => Context.LeafNodes?.EndPoint;

    /// <summary>The monitoring listener's bound endpoint; null unless <see cref="BrokerOptions.HttpPort"/> is set.</summary>
    public IPEndPoint? MonitorEndpoint => _monitor?.EndPoint;

    /// <summary>Starts a broker in an existing ActorSystem. The listener is bound when the task completes.</summary>
    /// <param name="clientPort">
    /// The client port already bound by <see cref="ClientListener.Bind"/> (the broker owns it from now on,
    /// and closes it if the start fails); null binds it during the start.
    /// </param>
    public static async Task<BrokerServer> StartAsync(ActorSystem system, BrokerOptions options, ServerLog? log = null, System.Net.Sockets.Socket? clientPort = null)
    {
        try
        {
            return await StartCoreAsync(system, options, log, clientPort).ConfigureAwait(false);
        }
        catch
        {
            clientPort?.Dispose();
            throw;
        }
    }

    private static async Task<BrokerServer> StartCoreAsync(ActorSystem system, BrokerOptions options, ServerLog? log, System.Net.Sockets.Socket? clientPort)
    {
        log ??= ServerLog.Null;
        var instance = Interlocked.Increment(ref s_instances);
        var accounts = new AccountDirectory(options, SubjectShards);
        var context = new ServerContext(options, log, accounts);
        var clusterInterest = Cluster.BrokerCluster.Attach(system, accounts, options, context.ServerId);
        var gateway = options.Gateway is { } gatewayOptions && clusterInterest is not null
            ? Gateways.BrokerGateways.Attach(gatewayOptions, clusterInterest, accounts)
            : null;

        // Akka starts its scheduler thread on first use and blocks the caller until it runs; if
        // that first use is a burst of new connections' ping timers, the blocked pool threads
        // starve the start itself for seconds. Start it now, before any client can arrive.
        system.Scheduler.Advanced.ScheduleOnce(TimeSpan.Zero, static () => { });

        // Actor names carry an instance number so several brokers can share one ActorSystem.
        var accountActors = accounts.All
            .Select((account, i) => system.ActorOf(AccountActor.Props(account), $"broker-{instance}-account-{i}"))
            .ToArray();
        foreach (var actor in accountActors)
            await actor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(10)).ConfigureAwait(false);

        // Imports are subscriptions like any other; they are in place before the first client arrives.
        var imports = new PendingChanges();
        foreach (var (importer, account, subscription) in ImportWiring.Build(options, accounts, context.ServerId))
            importer.AddImport(account, subscription, imports);
        await imports.WhenAllApplied().ConfigureAwait(false);
        if (options.Operator is { } mode)
        {
            foreach (var claims in mode.Accounts.Values)
                foreach (var refused in JwtAccounts.RefusedImports(claims, mode.Accounts, DateTimeOffset.UtcNow)) log.Warn(refused);
        }

        // The system account's request subscriptions are in place, and its events flowing, before the first client.
        var router = MonitorRouter.Create(context);
        IActorRef? systemEvents = null;
        if (accounts.System is { } systemAccount)
        {
            systemEvents = system.ActorOf(SystemEventsActor.Props(context, systemAccount, router), $"broker-{instance}-system-events");
            await systemEvents.Ask<SystemEventsActor.Ready>(SystemEventsActor.WhenReady.Instance, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            context.Parts.SystemEvents = systemEvents;
        }
        var startedActors = systemEvents is null ? accountActors : [.. accountActors, systemEvents];

        var serverActor = system.ActorOf(ServerActor.Props(context), $"broker-{instance}-clients");

        // A start that fails part way stops what it started: nothing half-started stays behind.
        async Task StopStartedAsync(ClientListener? bound)
        {
            if (bound is not null) await bound.StopAsync().ConfigureAwait(false);
            system.Stop(serverActor);
            foreach (var actor in startedActors) system.Stop(actor);
        }

        if (context.LeafNodes is { } leafs)
        {
            try
            {
                leafs.Bind();
            }
            catch
            {
                await StopStartedAsync(null).ConfigureAwait(false);
                throw;
            }
        }

        ClientListener listener;
        try
        {
            listener = new ClientListener(context, serverActor, clientPort);
        }
        catch
        {
            await StopStartedAsync(null).ConfigureAwait(false);
            throw;
        }
        context.Parts.Port = listener.EndPoint.Port;
        try
        {
            // The gateway URL is known before the cluster starts, so the region's nodes learn it in the first exchange.
            if (gateway is not null)
            {
                context.Parts.Gateway = gateway;
                startedActors = [.. startedActors, context.Parts.GatewayActor = Gateways.BrokerGateways.Start(system, context, gateway, $"broker-{instance}-gateway")];
            }
        }
        catch
        {
            await StopStartedAsync(listener).ConfigureAwait(false);
            throw;
        }
        if (clusterInterest is not null && Cluster.BrokerCluster.Joins(system, options))
        {
            clusterInterest.ClientUrl = Cluster.BrokerCluster.ClientUrl(system, context.Options.Host, context.Port);
            context.ConnectUrls = [clusterInterest.ClientUrl];
            var routes = context.Parts.ClusterRoutes = new Cluster.ClusterRoutes(context.Options.Cluster, context.NextClientId);
            startedActors = [.. startedActors, context.Parts.ClusterNode = Cluster.BrokerCluster.Start(system, context, clusterInterest, routes)];
        }

        // As nats-server: monitoring comes up before clients are accepted, so /healthz can tell the two apart.
        MonitorServer? monitor = null;
        if (options.HttpPort is { } httpPort)
        {
            var httpHost = string.IsNullOrEmpty(options.HttpHost) ? options.Host : options.HttpHost;
            try
            {
                monitor = await MonitorServer.StartAsync(Transport.ListenAddress.Parse(httpHost), httpPort, router).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // The client port is bound but never accepted on.
                await StopStartedAsync(listener).ConfigureAwait(false);
                if (e is not (IOException or FormatException or System.Net.Sockets.SocketException)) throw;
                throw new IOException($"Can't listen to the monitor port {FormatEndpoint(httpHost, httpPort)}: {e.Message}", e);
            }
            context.Parts.MonitorEndpoint = monitor.EndPoint;
            log.Notice($"Starting http monitor on {FormatEndpoint(httpHost, monitor.EndPoint.Port)}");
        }

        var metrics = new BrokerMetrics(context);
        listener.Start();
        context.LeafNodes?.Run();
        context.IsReady = true;
        log.Notice($"Listening for client connections on {FormatEndpoint(options.Host, listener.EndPoint.Port)}");
        log.Notice($"Server is ready");
        var server = new BrokerServer(context, listener, serverActor, startedActors, monitor, metrics)
        {
            _actorSystem = system,
            _heapReclaim = IdleHeapReclaimer.Register(context),
        };
        server.StopReloadedAccountsWithBroker();
        if (Cluster.BrokerCluster.Joins(system, options)) server.StopWhenRemovedFromCluster(system);
        return server;
    }

    /// <summary>Stops accepting, flushes pending output and closes every client. Idempotent.</summary>
    public Task ShutdownAsync()
    {
        lock (_shutdownGate) return _shutdown ??= ShutdownCoreAsync();
    }

    /// <summary>Completes once the broker has shut down, whether asked to or by itself (see <see cref="StoppedBecause"/>).</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Why the broker shut down by itself; null while running or when it was asked to.</summary>
    public string? StoppedBecause { get; private set; }

    /// <summary>
    /// A node its cluster removed (the split-brain resolver downed it, say) must not go on serving
    /// a half-cluster: the broker shuts down, its clients fail over to the nodes that remain, and
    /// the host exits so its supervisor can start it again, to rejoin.
    /// </summary>
    private void StopWhenRemovedFromCluster(ActorSystem system)
    {
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberRemoved(() =>
        {
            lock (_shutdownGate)
            {
                if (_shutdown is not null) return;
                StoppedBecause = "this node was removed from the cluster";
            }
            Context.Log.Error($"This node was removed from the cluster (downed, or it left): shutting down so its clients fail over");
            // Downed, it has usually seen the others go unreachable and told its clients it is alone:
            // they are told the others again (not this node), or they would retry only this one.
            if (Context.LastUrlsWithPeers is { } urls && Context.Options.Cluster is not { NoAdvertise: true })
            {
                var others = urls.Skip(1).ToArray();
                foreach (var client in Context.Connections.Values) client.SendInfoUpdate(failoverUrls: others);
            }
            _ = ShutdownAsync();
        });
    }

    public ValueTask DisposeAsync() => new(ShutdownAsync());

    private async Task ShutdownCoreAsync()
    {
        Context.IsReady = false;
        await _listener.StopAsync().ConfigureAwait(false);
        if (Context.LeafNodes is { } leafs) await leafs.StopAsync().ConfigureAwait(false);
        if (_monitor is not null) await _monitor.DisposeAsync().ConfigureAwait(false);
        var connections = Context.Connections.Values.ToArray();
        foreach (var connection in connections) connection.Close(Clients.CloseReason.ServerShutdown);
        foreach (var embedded in Context.EmbeddedConnections.Values) embedded.CloseForShutdown();
        var drained = Task.WhenAll(connections.Select(c => c.Completion));
        await Task.WhenAny(drained, Task.Delay(Context.Options.WriteDeadline)).ConfigureAwait(false);
        await DrainClusterLinksAsync().ConfigureAwait(false);
        _serverActor.Tell(PoisonPill.Instance);
        // Account, system events and cluster actors.
        foreach (var actor in _actors) actor.Tell(PoisonPill.Instance);
        _metrics.Dispose();
        _heapReclaim?.Dispose();
        _stopped.TrySetResult();
    }

    /// <summary>How long a stopping node waits for its peers to stop sending it messages (see <see cref="Cluster.ClusterNodeActor.DrainLinks"/>).</summary>
    private static readonly TimeSpan ClusterDrain = TimeSpan.FromSeconds(2);

    /// <summary>With the clients gone, the messages peers still had on their way to them are handed on before the node stops.</summary>
    private async Task DrainClusterLinksAsync()
    {
        if (Context.ClusterNode is not { } cluster) return;
        try
        {
            var drained = await cluster.Ask<Cluster.ClusterNodeActor.LinksDrained>(
                new Cluster.ClusterNodeActor.DrainLinks(ClusterDrain), ClusterDrain + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            if (drained.Late.Count > 0) Context.Log.Warn($"Stopping without an answer from cluster node(s) {string.Join(", ", drained.Late)}: messages on their way here may be lost");
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            Context.Log.Warn("Stopping before the cluster's data connections drained");
        }
    }

    private static string FormatEndpoint(string host, int port) =>
        host.Contains(':') ? $"[{host}]:{port}" : $"{(string.IsNullOrEmpty(host) ? "0.0.0.0" : host)}:{port}";
}
