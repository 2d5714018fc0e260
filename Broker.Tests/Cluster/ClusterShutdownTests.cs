using Xunit.Abstractions;

namespace Broker.Tests.Cluster;

/// <summary>A clustered Broker.Host stopped by the operator leaves its cluster as a clean exit, not as an error.</summary>
public class ClusterShutdownTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(15, "terminated")]
    [InlineData(2, "interrupt")]
    public async Task A_node_stopped_by_a_signal_leaves_the_cluster_gracefully_and_exits_0(int signal, string name)
    {
        await using var cluster = new BrokerProcessCluster(2, "debug: true\nlogtime: false\n");
        try
        {
            await cluster.StartAsync(ClusterLaunch.ConfigFile, 0, 1);

            cluster.Signal(1, signal);

            Assert.Equal(0, await cluster.WaitForExitAsync(1));
            var log = cluster.Log(1);
            Assert.Contains(log, l => l.EndsWith($"[DBG] Trapped \"{name}\" signal", StringComparison.Ordinal));
            Assert.Contains(log, l => l.EndsWith("[INF] Initiating Shutdown...", StringComparison.Ordinal));
            Assert.Equal("[INF] Server Exiting..", log.Last(l => l.Contains("] [", StringComparison.Ordinal))[(log.Last(l => l.Contains("] [", StringComparison.Ordinal)).IndexOf("] [", StringComparison.Ordinal) + 2)..]);
            Assert.DoesNotContain(log, l => l.Contains("[ERR]", StringComparison.Ordinal) || l.Contains("[FTL]", StringComparison.Ordinal));
            // The node that stays sees it go and keeps serving.
            Assert.False(cluster.HasExited(0));
            await cluster.WaitFormedAsync();
        }
        finally
        {
            output.WriteLine(cluster.Describe());
        }
    }
}
