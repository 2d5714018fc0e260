using System.Net;
using System.Text.Json.Nodes;
using Broker.Tests.Cluster;
using Broker.Tests.Differential;
using Broker.Tests.Infrastructure;
using Broker.Tests.Monitoring;

namespace Broker.Tests.Gateways;

/// <summary>
/// Two one-server nats-server regions A and B joined by gateways, and two one-node broker regions
/// of the same names, asked the same monitoring requests: /gatewayz (plain, one region, an unknown
/// region) and /varz's <c>gateway</c> must have the same keys, in the same order, with the same
/// value kinds. Region names are keys of /gatewayz, so both sides use the same ones.
/// <c>accs=1</c> is left out: nats-server lists every account with its optimistic-mode threshold,
/// which our interest-only links do not have (see the README).
/// </summary>
public class GatewayMonitorDifferentialTests
{
    private static readonly string[] Paths = ["/gatewayz", "/gatewayz?gw_name=B", "/gatewayz?gw_name=nowhere"];

    [NatsServerFact]
    public async Task Gatewayz_and_varz_gateway_have_nats_server_shapes()
    {
        var (portA, portB) = (TestCluster.FreePort(), TestCluster.FreePort());
        await using var natsA = await NatsServerProcess.StartAsync(GatewayConfig("A", portA, "B", portB));
        await using var natsB = await NatsServerProcess.StartAsync(GatewayConfig("B", portB, "A", portA));
        using var theirs = new MonitorClient(new IPEndPoint(IPAddress.Loopback, natsA.MonitorPort!.Value));
        await using var super = await TestSupercluster.StartAsync(1, o => o with { HttpPort = 0 }, "A", "B");
        using var ours = new MonitorClient(super["A"][0].Server.MonitorEndpoint!);

        // Both linked both ways: A's link to B and B's link to A, which A lists as inbound.
        await theirs.WaitForAsync("/gatewayz", Linked);
        await ours.WaitForAsync("/gatewayz", Linked);

        foreach (var path in Paths)
        {
            var their = JsonNode.Parse((await theirs.GetAsync(path)).Body)!.AsObject();
            var mine = JsonNode.Parse((await ours.GetAsync(path)).Body)!.AsObject();
            AssertSameShape(path, their, mine);
        }
        var theirVarz = JsonNode.Parse((await theirs.GetAsync("/varz")).Body)!["gateway"];
        var myVarz = JsonNode.Parse((await ours.GetAsync("/varz")).Body)!["gateway"];
        AssertSameShape("/varz gateway", theirVarz, myVarz);
    }

    private static bool Linked(JsonObject gatewayz) =>
        gatewayz["outbound_gateways"]?["B"]?["connection"] is not null && gatewayz["inbound_gateways"]?["B"]?.AsArray().Count > 0;

    private static void AssertSameShape(string what, JsonNode? their, JsonNode? mine)
    {
        var theirShape = JsonShape.Of(their);
        var myShape = JsonShape.Of(mine);
        Assert.True(theirShape.SequenceEqual(myShape), $"{what} differs:\n{JsonShape.Diff(theirShape, myShape)}\nnats-server: {their}\nours: {mine}");
    }

    private static string GatewayConfig(string name, int listen, string remote, int remotePort) =>
        $"http_port: -1\ngateway {{\n  name: {name}\n  listen: \"127.0.0.1:{listen}\"\n  gateways: [ {{ name: {remote}, url: \"nats://127.0.0.1:{remotePort}\" }} ]\n}}\n";
}
