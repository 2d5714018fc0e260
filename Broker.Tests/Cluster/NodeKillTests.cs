using Broker.Tests.Differential;
using NATS.Client.Core;
using Xunit.Abstractions;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Cluster;

/// <summary>A server process killed (no goodbye) while a publisher on another node streams numbered messages.</summary>
public class NodeKillTests(ITestOutputHelper output)
{
    [Fact]
    public Task A_node_killed_mid_stream_leaves_the_others_running_duplicates_nothing_and_its_client_fails_over() =>
        KillMidStreamAsync(new BrokerProcessCluster(3));

    /// <summary>The oracle meets the same expectations, so they ask nothing nats-server would not give.</summary>
    [NatsServerFact]
    public Task Nats_server_meets_the_same_expectations_when_a_node_is_killed_mid_stream() =>
        KillMidStreamAsync(new NatsServerProcessCluster(3));

    private async Task KillMidStreamAsync(ProcessCluster cluster)
    {
        await using (cluster)
        {
            try
            {
                await RunAsync(cluster);
            }
            finally
            {
                // Shown with a failure: which nodes ran and what their logs said about the cluster.
                output.WriteLine(cluster.Describe());
            }
        }
    }

    private static async Task RunAsync(ProcessCluster cluster)
    {
        await cluster.StartAsync(ClusterLaunch.ConfigFile, 0, 1, 2);
        const string subject = "stream";
        await using var a = await ScenarioConnection.ConnectAsync("A", cluster.Url(0));
        await using var b = await ScenarioConnection.ConnectAsync("B", cluster.Url(1));
        // Quick retries, so failover takes milliseconds rather than NATS.Net's default seconds.
        await using var c = await ScenarioConnection.ConnectAsync("C", cluster.Url(2), o => o with
        {
            ReconnectWaitMin = TimeSpan.FromMilliseconds(50),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(250),
            ReconnectJitter = TimeSpan.FromMilliseconds(50),
        });
        // The only way C's client knows of A and B is INFO connect_urls: it was given C's URL alone.
        Assert.Equal(3, c.Connection.ServerInfo?.ClientConnectUrls?.Count());
        var plainB = await b.SubscribeAsync("B plain", subject);
        var memberB = await b.SubscribeAsync("B member", subject, "workers");
        var plainC = await c.SubscribeAsync("C plain", subject);
        var memberC = await c.SubscribeAsync("C member", subject, "workers");
        // The publisher's node has no member: every queue message crosses to B or C (a member on A would take them all).
        await a.ProbeUntilAsync(subject, () => new[] { plainB, memberB, plainC, memberC }.All(s => s.HasProbeOn(subject)), "every subscription on B and C");

        var publisher = new NumberedPublisher(a.Connection, subject);
        await using (publisher)
        {
            await Eventually.Async(() => Numbers(plainC).Count >= 200 && Numbers(memberC).Count > 0, "the stream to flow through C");
            var cPort = cluster.ClientPort(2);
            var killedAt = publisher.Published;
            cluster.Kill(2);

            await Eventually.Async(
                () => c.Connection.ConnectionState == NatsConnectionState.Open && c.Connection.ServerInfo?.Port != cPort,
                "C's client to reconnect to A or B");
            var reconnectedAt = publisher.Published;
            await Eventually.Async(() => Numbers(plainC).Any(n => n >= reconnectedAt), "C's client to receive again after failover");
            // A drops the killed node's interest when it sees it gone (unreachable, a closed route), and tells its clients with a new INFO.
            await Eventually.Async(() => a.Connection.ServerInfo?.ClientConnectUrls?.Count() == 2, "A to drop the killed node");
            var settledAt = publisher.Published;
            await Eventually.Async(() => publisher.Published >= settledAt + 300, "more of the stream after A dropped C");
            var total = await publisher.StopAsync();
            await a.FlushThroughAsync(b, c);

            Assert.True(cluster.HasExited(2));
            Assert.False(cluster.HasExited(0), "A crashed");
            Assert.False(cluster.HasExited(1), "B crashed");

            // B's subscriber, on a node that stayed up, missed nothing and got nothing twice, in order.
            Assert.Equal(Enumerable.Range(0, total), Numbers(plainB));

            // The queue group: never twice; once C was known gone on A, every message once.
            var queued = Numbers(memberB).Concat(Numbers(memberC)).ToList();
            var twice = queued.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, $"queue messages delivered twice: {string.Join(", ", twice.Take(20))}");
            Assert.Equal(Enumerable.Range(settledAt, total - settledAt), queued.Where(n => n >= settledAt).Order());

            // C's client: before the kill on C, after it on A or B, never twice.
            var onC = Numbers(plainC);
            Assert.Equal(onC.Count, onC.Distinct().Count());
            Assert.Contains(onC, n => n < killedAt);
            Assert.Contains(onC, n => n >= reconnectedAt);
        }
    }

    private static List<int> Numbers(RecordingSubscription subscription) => subscription.Payloads().Select(int.Parse).ToList();
}
