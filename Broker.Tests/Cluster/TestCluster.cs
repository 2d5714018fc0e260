using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Broker.Cluster;
using Broker.Configuration;
using Broker.Server;
using Broker.Subjects;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Cluster;

/// <summary>
/// Several brokers in one test process, each in its own clustered ActorSystem on a free loopback
/// port, with gossip and failure detection tuned for speed. Tests wait on conditions (membership,
/// interest visible in an index), never on fixed sleeps.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private static readonly Config FastAkka = ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.cluster {
          gossip-interval = 200ms
          leader-actions-interval = 200ms
          periodic-tasks-initial-delay = 100ms
          retry-unsuccessful-join-after = 500ms
          shutdown-after-unsuccessful-join-seed-nodes = off
          failure-detector.heartbeat-interval = 250ms
          failure-detector.acceptable-heartbeat-pause = 3s
          split-brain-resolver.stable-after = 3s
          log-info = off
        }
        akka.remote.dot-netty.tcp.connection-timeout = {{(TestLinkSecurity.TlsOn ? "10s" : "2s")}}
        akka.coordinated-shutdown.exit-clr = off
        """);

    private readonly List<ClusterEndpoint> _endpoints;
    private readonly Func<int, BrokerOptions, BrokerOptions>? _configure;

    private TestCluster(List<ClusterEndpoint> endpoints, Func<int, BrokerOptions, BrokerOptions>? configure)
    {
        _endpoints = endpoints;
        _configure = configure;
    }

    public List<Node> Nodes { get; } = new();

    public Node this[int i] => Nodes[i];

    /// <summary>Starts <paramref name="count"/> of <paramref name="size"/> nodes (the rest can join later) and waits until they see each other.</summary>
    public static Task<TestCluster> StartAsync(int size, int? count = null, Func<BrokerOptions, BrokerOptions>? configure = null) =>
        StartAsync(size, count, configure is null ? null : (_, options) => configure(options));

    /// <summary>As above, with options that differ per node (<paramref name="configure"/> gets the node's index).</summary>
    public static async Task<TestCluster> StartAsync(int size, int? count, Func<int, BrokerOptions, BrokerOptions>? configure)
    {
        var endpoints = Enumerable.Range(0, size).Select(_ => new ClusterEndpoint("127.0.0.1", FreePort())).Order().ToList();
        var cluster = new TestCluster(endpoints, configure);
        try
        {
            var nodes = await Task.WhenAll(Enumerable.Range(0, count ?? size).Select(cluster.StartNodeAsync));
            cluster.Nodes.AddRange(nodes);
            await cluster.WaitFormedAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the next node of the planned size (a late joiner) and waits until every running node sees it.</summary>
    public async Task<Node> JoinNextAsync()
    {
        var node = await StartNodeAsync(Nodes.Count);
        Nodes.Add(node);
        await WaitFormedAsync();
        return node;
    }

    /// <summary>Starts node <paramref name="index"/> again (after it stopped), on the same cluster endpoint and options.</summary>
    public async Task<Node> RestartAsync(int index)
    {
        if (!Nodes[index].Stopped) throw new InvalidOperationException($"node {index} is running");
        return Nodes[index] = await StartNodeAsync(index);
    }

    /// <summary>Until every running node has every other in its INFO connect_urls (so interest was exchanged both ways).</summary>
    public Task WaitFormedAsync()
    {
        var running = Nodes.Where(n => !n.Stopped).ToList();
        return Eventually.Async(() => running.All(n => n.Server.Context.ConnectUrls?.Length == running.Count), "the cluster to form", TestLinkSecurity.FormationSeconds);
    }

    private async Task<Node> StartNodeAsync(int index)
    {
        var cluster = new ClusterOptions { Name = "test", Listen = _endpoints[index], Routes = _endpoints, Authorization = TestLinkSecurity.Authorization, Tls = TestLinkSecurity.Tls };
        var options = new BrokerOptions { Host = "127.0.0.1", Port = 0, Cluster = cluster };
        if (_configure is not null)
        {
            var configured = _configure(index, options);
            // A test that sets a cluster block gives its own authorization and TLS (none: plain links); the rest is the fixture's.
            if (configured.Cluster is { } own) cluster = cluster with { Authorization = own.Authorization, Tls = own.Tls };
            options = configured with { Host = "127.0.0.1", Port = 0, Cluster = cluster };
        }
        var system = ActorSystem.Create(ClusterAkkaConfig.SystemName,
            ClusterAkkaConfig.Setup(FastAkka.WithFallback(ClusterAkkaConfig.Build(cluster, maxPayload: options.MaxPayload)), cluster));
        try
        {
            var server = await BrokerServer.StartAsync(system, options, new RecordingServerLog());
            return new Node(system, server);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>
    /// A port to listen on later, which other nodes are told in advance. Taken below Linux's
    /// ephemeral range (32768 and up), so no outgoing connection can grab it in the meantime.
    /// </summary>
    internal static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(20000, 32000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Nodes.Where(n => !n.Stopped).Select(n => n.StopAsync()));
    }

    public sealed class Node(ActorSystem system, BrokerServer server)
    {
        public ActorSystem System { get; } = system;
        public BrokerServer Server { get; } = server;
        public string Url => $"nats://127.0.0.1:{Server.ClientEndpoint.Port}";
        public bool Stopped { get; private set; }

        /// <summary>True when another node's (of this cluster) interest in <paramref name="subject"/> (of <paramref name="queue"/>, if given) is in this node's index.</summary>
        public bool HasRemoteInterest(string subject, string? queue = null, string account = "$G")
        {
            var match = Server.Context.Accounts[account].Index.Match(global::System.Text.Encoding.ASCII.GetBytes(subject));
            return queue is null
                ? match.Plain.Any(s => s.Owner.Reach == SubscriberReach.Cluster && !s.IsClosed)
                : match.QueueGroups.Any(g => g.Any(s => s.Owner.Reach == SubscriberReach.Cluster && !s.IsClosed && s.QueueText == queue));
        }

        /// <summary>Open members of every queue group <paramref name="subject"/> reaches on this node, local and remote.</summary>
        public int QueueMembers(string subject, string account = "$G") =>
            Server.Context.Accounts[account].Index.Match(global::System.Text.Encoding.ASCII.GetBytes(subject)).QueueGroups.Sum(g => g.Count(s => !s.IsClosed));

        public Task WaitRemoteInterestAsync(string subject, string? queue = null, string account = "$G") =>
            Eventually.Async(() => HasRemoteInterest(subject, queue, account), $"remote interest in {subject} {queue}");

        /// <summary>Leaves the cluster gracefully, then stops the broker and its ActorSystem.</summary>
        public async Task LeaveAsync()
        {
            await Akka.Cluster.Cluster.Get(System).LeaveAsync();
            await StopAsync();
        }

        public async Task StopAsync()
        {
            if (Stopped) return;
            Stopped = true;
            await Server.ShutdownAsync();
            await System.Terminate();
        }
    }
}
