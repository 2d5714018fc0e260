using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Broker.Cluster;
using Akka.Remote;
using Broker.Configuration;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Cluster;

/// <summary>
/// The first seed node forms a cluster alone only once every other seed refuses connections
/// (<see cref="LoneSeedFormation"/>): while another seed's port accepts but does not answer (a
/// running cluster's node busy with a slow TLS handshake, here a silent socket), it waits, so a
/// restarted first seed cannot form an island beside its running cluster; once nothing listens,
/// it forms at once, well before its <c>seed-node-timeout</c>.
/// </summary>
public class LoneSeedFormationTests
{
    [Fact]
    public async Task A_first_seed_waits_while_another_seed_accepts_connections_and_forms_alone_once_none_does()
    {
        var selfPort = TestCluster.FreePort();
        using var silent = new SilentSeed(ClusterBlock.FreePortAbove(selfPort));
        var absentPort = ClusterBlock.FreePortAbove(silent.Port);
        var options = new ClusterOptions
        {
            Name = "lone",
            Listen = new ClusterEndpoint("127.0.0.1", selfPort),
            Routes = [new ClusterEndpoint("127.0.0.1", silent.Port), new ClusterEndpoint("127.0.0.1", absentPort)],
        };
        var clock = Stopwatch.StartNew();
        var system = ActorSystem.Create(ClusterAkkaConfig.SystemName, ConfigurationFactory.ParseString("""
            akka.loglevel = ERROR
            akka.stdout-loglevel = ERROR
            akka.coordinated-shutdown.exit-clr = off
            """).WithFallback(ClusterAkkaConfig.Build(options)));
        try
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            var seedNodeTimeout = cluster.Settings.SeedNodeTimeout;
            Assert.True(seedNodeTimeout >= TimeSpan.FromSeconds(10), $"the first seed's seed-node-timeout is {seedNodeTimeout}");
            var absent = cluster.Settings.SeedNodes.Single(a => a.Port == absentPort);
            var refusals = new RefusalCount(absent);
            system.EventStream.Subscribe(system.ActorOf(Props.Create(() => new RefusalCounter(refusals))), typeof(AssociationErrorEvent));
            system.ActorOf(LoneSeedFormation.PropsFor(cluster) ?? throw new InvalidOperationException("this node should be the first seed"));

            // Akka's first-seed process asks both seeds every second: two refusals from the absent one, with the
            // silent one reached, are two times the node saw one seed listening and waited.
            await Eventually.Async(() => refusals.Count >= 2 && silent.Connections > 0, "two refused attempts on the absent seed", 30);
            Assert.True(cluster.State.Members.IsEmpty, $"formed a cluster while another seed accepted connections: {string.Join(", ", cluster.State.Members)}");

            silent.Dispose();
            await Eventually.Async(() => cluster.SelfMember.Status == MemberStatus.Up, "the first seed to form its cluster alone", (int)seedNodeTimeout.TotalSeconds);
            // Sooner than Akka's own wait would have let it: the refusals formed it.
            Assert.True(clock.Elapsed < seedNodeTimeout, $"formed after {clock.Elapsed}, not before seed-node-timeout {seedNodeTimeout}");
            Assert.Equal([cluster.SelfAddress], cluster.State.Members.Select(m => m.Address));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public void Only_a_refused_connection_counts_as_nobody_listening()
    {
        Assert.True(LoneSeedFormation.IsRefusal(new InvalidOperationException("Connection refused ssl.tcp://broker@127.0.0.1:4248")));
        Assert.True(LoneSeedFormation.IsRefusal(new InvalidOperationException("wrapped", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.False(LoneSeedFormation.IsRefusal(new InvalidOperationException("TLS handshake failed")));
        Assert.False(LoneSeedFormation.IsRefusal(new SocketException((int)SocketError.TimedOut)));
        Assert.False(LoneSeedFormation.IsRefusal(null));
    }

    private sealed class RefusalCount(Address seed)
    {
        private int _count;

        public Address Seed { get; } = seed;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }

    private sealed class RefusalCounter : ReceiveActor
    {
        public RefusalCounter(RefusalCount count) =>
            Receive<AssociationErrorEvent>(e =>
            {
                if (e.RemoteAddress.Equals(count.Seed) && LoneSeedFormation.IsRefusal(e.Cause)) count.Add();
            });
    }

    /// <summary>A seed's port that accepts connections and never answers.</summary>
    private sealed class SilentSeed : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<TcpClient> _held = new();
        private int _connections;

        public SilentSeed(int port)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            Port = port;
            _ = AcceptAsync();
        }

        public int Port { get; }

        public int Connections => Volatile.Read(ref _connections);

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    lock (_held) _held.Add(client);
                    Interlocked.Increment(ref _connections);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            _listener.Stop();
            lock (_held)
            {
                foreach (var client in _held) client.Dispose();
            }
        }
    }
}
