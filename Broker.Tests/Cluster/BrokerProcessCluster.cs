using Broker.Tests.Infrastructure;
using Broker.Tests.Host;

namespace Broker.Tests.Cluster;

/// <summary>
/// Broker.Host processes forming one Akka cluster on loopback, each with a configuration file
/// holding the <see cref="ClusterBlock"/> (or only the Akka tuning, with the cluster given as flags).
/// With <paramref name="tunedAkka"/> false the nodes run the Akka settings an operator gets.
/// </summary>
public sealed class BrokerProcessCluster(int size, string config = "", ClusterBlock? block = null, bool tunedAkka = true) : ProcessCluster("broker", size, config, block)
{
    /// <summary>
    /// Gossip and failure detection tuned so joins and a killed node's detection take a second or
    /// two rather than Akka's defaults; the split-brain resolver still waits 3s of stable
    /// unreachability, so a briefly starved node under CI load is not downed.
    /// </summary>
    internal static readonly string FastAkka = $$"""
        akka {
          cluster {
            gossip-interval = 200ms
            leader-actions-interval = 200ms
            periodic-tasks-initial-delay = 100ms
            retry-unsuccessful-join-after = 500ms
            shutdown-after-unsuccessful-join-seed-nodes = off
            failure-detector.heartbeat-interval = 250ms
            failure-detector.acceptable-heartbeat-pause = 3s
            split-brain-resolver.stable-after = 3s
          }
          # A node that starts later than its peers must not find them gated for Akka's default 5s.
          remote.retry-gate-closed-for = 500ms
          # A TLS handshake on a fresh process of a loaded 2-core machine can take more than 2s.
          remote.dot-netty.tcp.connection-timeout = {{(TestLinkSecurity.TlsOn ? "10s" : "2s")}}
        }

        """;

    protected override async Task<RunningNode> StartNodeAsync(int node, ClusterLaunch launch)
    {
        var path = Path.Combine(Path.GetTempPath(), $"broker-cluster-{Guid.NewGuid():N}.conf");
        var clusterPart = launch == ClusterLaunch.ConfigFile ? Block.ConfigText(node) : "";
        await File.WriteAllTextAsync(path, $"host: 127.0.0.1\nport: 0\n{Config}\n{clusterPart}{(tunedAkka ? FastAkka : "")}");
        string[] args = launch == ClusterLaunch.Flags ? ["-c", path, .. Block.Flags(node)] : ["-c", path];
        var owner = new NodeFiles(HostProcess.Start(args), path);
        try
        {
            var port = await owner.Host.ListeningPort;
            await owner.Host.Ready;
            return new RunningNode(port, owner.Host.Process, owner, () => owner.Host.Output);
        }
        catch
        {
            await owner.DisposeAsync();
            throw;
        }
    }

    private sealed class NodeFiles(HostProcess host, string configPath) : IAsyncDisposable
    {
        public HostProcess Host { get; } = host;

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            File.Delete(configPath);
        }
    }
}
