namespace Broker.Tests.Cluster;

/// <summary>
/// A 3-node process cluster shared by the scenarios (each uses its own subjects). Node C joins
/// last, started with the cluster flags rather than the config block, after A and B have interest
/// it must learn at join: a plain subscription on A and a queue member on B, both on <c>late.&gt;</c>.
/// Every node has the accounts RED, BLUE, ORDERS and SHOP (which imports ORDERS' stream); clients
/// without credentials land in <c>$G</c>.
/// </summary>
public abstract class ClusterFixture : IAsyncLifetime
{
    /// <summary>Configuration both kinds read the same way.</summary>
    protected const string Accounts = """
        accounts {
          RED { users: [ { user: red, password: red } ] }
          BLUE { users: [ { user: blue, password: blue } ] }
          ORDERS { users: [ { user: orders, password: orders } ], exports: [ { stream: "orders.>" } ] }
          SHOP {
            users: [ { user: shop, password: shop } ]
            imports: [ { stream: { account: ORDERS, subject: "orders.>" }, prefix: from_orders } ]
          }
        }
        authorization { users: [ { user: anon, password: anon } ] }
        no_auth_user: anon

        """;

    private ProcessCluster? _cluster;

    public ProcessCluster Cluster => _cluster ?? throw new InvalidOperationException("no cluster: " + (Unavailable ?? "not started"));

    /// <summary>See <see cref="ProcessCluster.Describe"/>.</summary>
    public string Describe() => _cluster?.Describe() ?? "no cluster: " + (Unavailable ?? "not started");

    /// <summary>Why this kind of cluster cannot run here (then the tests using it are skipped), or null.</summary>
    protected virtual string? Unavailable => null;

    public ScenarioConnection EarlyOnA { get; private set; } = null!;
    public ScenarioConnection EarlyOnB { get; private set; } = null!;
    public RecordingSubscription EarlyPlainOnA { get; private set; } = null!;
    public RecordingSubscription EarlyQueueOnB { get; private set; } = null!;

    protected abstract ProcessCluster Create();

    public async Task InitializeAsync()
    {
        if (Unavailable is not null) return;
        _cluster = Create();
        try
        {
            await _cluster.StartAsync(ClusterLaunch.ConfigFile, 0, 1);
            EarlyOnA = await ScenarioConnection.ConnectAsync("A", _cluster.Url(0));
            EarlyOnB = await ScenarioConnection.ConnectAsync("B", _cluster.Url(1));
            EarlyPlainOnA = await EarlyOnA.SubscribeAsync("A plain, subscribed before C joined", "late.>");
            EarlyQueueOnB = await EarlyOnB.SubscribeAsync("B queue member, subscribed before C joined", "late.>", queue: "lw");
            // The servers hold both subscriptions before C starts.
            await EarlyOnA.Connection.PingAsync();
            await EarlyOnB.Connection.PingAsync();
            // C comes from the flags, unless the links use TLS, which no flag can carry.
            await _cluster.StartAsync(TestLinkSecurity.TlsOn ? ClusterLaunch.ConfigFile : ClusterLaunch.Flags, 2);
        }
        catch
        {
            // No process outlives a failed start.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        // Idempotent: a failed start has disposed already when xunit does.
        if (EarlyOnA is not null) await EarlyOnA.DisposeAsync();
        if (EarlyOnB is not null) await EarlyOnB.DisposeAsync();
        if (_cluster is not null) await _cluster.DisposeAsync();
        EarlyOnA = EarlyOnB = null!;
        _cluster = null;
    }
}

/// <summary>The cluster of Broker.Host processes.</summary>
public sealed class BrokerClusterFixture : ClusterFixture
{
    protected override ProcessCluster Create() => new BrokerProcessCluster(3, Accounts);
}

/// <summary>The same cluster of nats-server processes, where nats-server is installed.</summary>
public sealed class NatsServerClusterFixture : ClusterFixture
{
    protected override string? Unavailable => Differential.NatsServerProcess.IsAvailable ? null : "nats-server is not on PATH";

    protected override ProcessCluster Create() => new NatsServerProcessCluster(3, Accounts);
}

/// <summary>Tests that share the Broker.Host cluster: one at a time, so their processes are started once.</summary>
[CollectionDefinition(Name)]
public sealed class ProcessClusterCollection : ICollectionFixture<BrokerClusterFixture>
{
    public const string Name = "process cluster";
}
