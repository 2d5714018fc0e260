using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Broker.Tests.Differential;
using Broker.Tests.Infrastructure;
using Broker.Tests.Monitoring;

namespace Broker.Tests.Cluster;

/// <summary>
/// A 2-node nats-server cluster and a 2-node broker cluster, asked the same monitoring requests in
/// the same order: /routez (plain and with its subscription lists) and /varz must have the same
/// keys, in the same order, with the same value kinds. Both keep their system account, whose
/// subscriptions give each route interest to list.
/// </summary>
public class ClusterMonitorDifferentialTests
{
    private static readonly string[] Paths = ["/routez", "/routez?subs=1", "/routez?subs=detail", "/varz"];

    [NatsServerFact]
    public async Task Routez_and_varz_have_nats_server_cluster_shapes()
    {
        var (portA, portB) = (FreePort(), FreePort());
        await using var natsA = await NatsServerProcess.StartAsync(ClusterConfig(portA, portB));
        await using var natsB = await NatsServerProcess.StartAsync(ClusterConfig(portB, portA));
        using var theirs = new MonitorClient(new IPEndPoint(IPAddress.Loopback, natsA.MonitorPort!.Value));
        await using var cluster = await TestCluster.StartAsync(2, configure: o => o with { HttpPort = 0 });
        using var ours = new MonitorClient(cluster[0].Server.MonitorEndpoint!);

        // Routed, with the peer's interest in: nats-server sends its subscriptions right after the route's CONNECT.
        await theirs.WaitForAsync("/routez", r => (int)r["num_routes"]! == 1 && (long)r["routes"]![0]!["subscriptions"]! > 0);
        await ours.WaitForAsync("/routez", r => (int)r["num_routes"]! == 1 && (long)r["routes"]![0]!["subscriptions"]! > 0);

        foreach (var path in Paths)
        {
            var their = JsonNode.Parse((await theirs.GetAsync(path)).Body)!.AsObject();
            var mine = JsonNode.Parse((await ours.GetAsync(path)).Body)!.AsObject();
            var theirShape = JsonShape.Of(their);
            var myShape = JsonShape.Of(mine);
            Assert.True(theirShape.SequenceEqual(myShape), $"{path} differs:\n{JsonShape.Diff(theirShape, myShape)}");
        }
    }

    private static string ClusterConfig(int listen, int route) =>
        $"http_port: -1\ncluster {{\n  name: C1\n  listen: \"127.0.0.1:{listen}\"\n  routes: [\"nats-route://127.0.0.1:{route}\"]\n}}\n";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
