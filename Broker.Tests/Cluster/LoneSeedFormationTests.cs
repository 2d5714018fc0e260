using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Broker.Cluster;
using Broker.Configuration;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Cluster;

/// <summary>
/// The first seed node forms a cluster alone only once no other seed accepts connections
/// (<see cref="LoneSeedFormation"/>): while another seed's port accepts but does not answer (a
/// running cluster's node busy with a slow TLS handshake, here a silent socket), it waits, so a
/// restarted first seed cannot form an island beside its running cluster; once nothing listens,
/// it forms at once, well before Akka's <c>seed-node-timeout</c>.
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
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.coordinated-shutdown.exit-clr = off
            """).WithFallback(ClusterAkkaConfig.Build(options)));
        try
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            var seedNodeTimeout = cluster.Settings.SeedNodeTimeout;
            system.ActorOf(LoneSeedFormation.PropsFor(cluster) ?? throw new InvalidOperationException("this node should be the first seed"));

            // Each probe is a connection that closes without a byte; three mean the node decided at least twice that a seed listens.
            await Eventually.Async(() => silent.Probes >= 3, "the first seed to probe the listening seed three times", 30);
            Assert.True(cluster.State.Members.IsEmpty, $"formed a cluster while another seed accepted connections: {string.Join(", ", cluster.State.Members)}");

            silent.Dispose();
            await Eventually.Async(() => cluster.SelfMember.Status == MemberStatus.Up, "the first seed to form its cluster alone", (int)seedNodeTimeout.TotalSeconds);
            // Sooner than Akka's own wait would have let it: the refused probes formed it.
            Assert.True(clock.Elapsed < seedNodeTimeout, $"formed after {clock.Elapsed}, not before seed-node-timeout {seedNodeTimeout}");
            Assert.Equal([cluster.SelfAddress], cluster.State.Members.Select(m => m.Address));
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>A seed's port that accepts connections and never answers; counts those that closed without sending a byte.</summary>
    private sealed class SilentSeed : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<TcpClient> _held = new();
        private int _probes;

        public SilentSeed(int port)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            Port = port;
            _ = AcceptAsync();
        }

        public int Port { get; }

        public int Probes => Volatile.Read(ref _probes);

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    lock (_held) _held.Add(client);
                    _ = ReadAsync(client);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task ReadAsync(TcpClient client)
        {
            var buffer = new byte[4096];
            var total = 0;
            try
            {
                int read;
                while ((read = await client.GetStream().ReadAsync(buffer, _stop.Token)) > 0) total += read;
                if (total == 0) Interlocked.Increment(ref _probes);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
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
