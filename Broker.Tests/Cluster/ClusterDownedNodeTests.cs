using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Cluster;

public class ClusterDownedNodeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public Task A_node_the_cluster_downs_stops_serving_and_its_clients_fail_over() => DownAndFailOverAsync(sawPeersGoFirst: false);

    /// <summary>
    /// Downed by the others, a node usually sees them go unreachable first and tells its clients it is
    /// alone; removed, it must name the others again, or NATS.Net retries only the dead node (a CI run did so ~60 times).
    /// </summary>
    [Fact]
    public Task A_downed_node_that_saw_its_peers_go_first_still_sends_its_clients_to_them() => DownAndFailOverAsync(sawPeersGoFirst: true);

    private async Task DownAndFailOverAsync(bool sawPeersGoFirst)
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var downed = cluster[2];
        await using var onA = await NatsClients.ConnectAsync(cluster[0].Url);
        await using var onC = await NatsClients.ConnectAsync(downed.Url, o => o with
        {
            ReconnectWaitMin = TimeSpan.FromMilliseconds(50),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(250),
        });
        await using var sub = await onC.SubscribeCoreAsync<int>("after");
        await cluster[0].WaitRemoteInterestAsync("after");
        // Fail-over needs somewhere to go: the cluster had formed, so C's first INFO named every node.
        Assert.Equal(3, onC.ServerInfo?.ClientConnectUrls?.Count());

        if (sawPeersGoFirst)
        {
            var self = downed.Server.Context.ConnectUrls![0];
            ((Broker.Cluster.IClusterHost)downed.Server.Context).ConnectUrlsChanged([self]);
            await Eventually.Async(() => onC.ServerInfo?.ClientConnectUrls?.Count() == 1, "C's client to hear that C is alone");
        }

        // What the split-brain resolver does to the lost side, done by hand.
        Akka.Cluster.Cluster.Get(cluster[0].System).Down(Akka.Cluster.Cluster.Get(downed.System).SelfAddress);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        onC.ConnectionDisconnected += (_, _) => { output.WriteLine($"{clock.ElapsedMilliseconds} ms: C's client disconnected"); return ValueTask.CompletedTask; };
        onC.ConnectionOpened += (_, _) => { output.WriteLine($"{clock.ElapsedMilliseconds} ms: C's client open on {onC.ServerInfo?.Port}"); return ValueTask.CompletedTask; };
        onC.ReconnectFailed += (_, _) => { output.WriteLine($"{clock.ElapsedMilliseconds} ms: C's client reconnect failed"); return ValueTask.CompletedTask; };
        output.WriteLine($"urls known to C's client: {string.Join(", ", onC.ServerInfo?.ClientConnectUrls ?? [])}; A {cluster[0].Server.ClientEndpoint.Port} B {cluster[1].Server.ClientEndpoint.Port} C {downed.Server.ClientEndpoint.Port}");
        // Generous bounds: on a loaded machine (the full suite beside two CPU burners) this run took over 20 s once.
        await downed.Server.Stopped.WaitAsync(TimeSpan.FromSeconds(40));
        Assert.Equal("this node was removed from the cluster", downed.Server.StoppedBecause);
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: C stopped");
        await Eventually.Async(() => onC.ConnectionState == NatsConnectionState.Open && onC.ServerInfo?.Port != downed.Server.ClientEndpoint.Port,
            "C's client to fail over to A or B", timeoutSeconds: 40);
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: failed over");
        await Eventually.Async(() => cluster[0].HasRemoteInterest("after") || cluster[0].Server.Context.Accounts["$G"].Index.Match("after"u8.ToArray()).Plain.Length > 0,
            "the resubscription to reach A");
        await onA.PublishAsync("after", 1);
        Assert.Equal(1, (await NatsClients.ReadAsync(sub, 1)).Single().Data);
    }
}
