using System.Text.Json.Nodes;
using Broker.Tests.EndToEnd;
using Broker.Tests.Monitoring;
using static Broker.Tests.Gateways.TestSupercluster;

using Broker.Tests.Infrastructure;

namespace Broker.Tests.Gateways;

/// <summary>The dashboard of a supercluster node, in headless Chromium: its cluster, region, route and gateway links.</summary>
public class GatewayDashboardTests
{
    [BrowserFact]
    public async Task In_chromium_a_region_node_shows_its_route_and_its_gateway_links_with_messages_crossing()
    {
        await using var super = await TestSupercluster.StartAsync(2, o => o with { HttpPort = 0, NoSystemAccount = true }, "east", "west");
        var (east0, west0) = (super["east"][0], super["west"][0]);
        // Linked both ways before the page opens: east 0's link out, and the link in that every west node opened to some east node.
        await Eventually.Async(
            () => super["east"].Nodes.Sum(n => Gateway(n).Inbound!.Connections.Count(c => c.State.From is not null)) == 2,
            "east to have an inbound link from each west node");
        await using var onWest = await NatsClients.ConnectAsync(west0.Url);
        await using var sub = await onWest.SubscribeCoreAsync<byte[]>("dash.>");
        await WaitRegionInterestAsync(east0, "dash.load");
        await using var publisher = await NatsClients.ConnectAsync(east0.Url);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var publishing = DashboardTests.PublishSteadilyAsync(publisher, "dash.load", stop.Token);
        JsonObject result;
        try
        {
            result = await DashboardTests.RunScriptAsync($"http://127.0.0.1:{east0.Server.MonitorEndpoint!.Port}/?interval=200");
        }
        finally
        {
            await stop.CancelAsync();
            await publishing;
        }

        Assert.Empty(result["errors"]!.AsArray());
        var later = result["later"]!.AsObject();
        Assert.True((bool)later["linksShown"]!);
        Assert.Equal("test", (string?)later["cluster"]);
        Assert.Equal("east", (string?)later["region"]);
        var links = later["links"]!.AsArray().Select(r => r!.AsArray().Select(c => (string)c!).ToArray()).ToList();
        var route = Assert.Single(links, l => l[0] == "route");
        Assert.Equal(Akka.Cluster.Cluster.Get(super["east"][1].System).SelfAddress.ToString(), route[1]);
        var outbound = Assert.Single(links, l => l[0] == "gateway out");
        Assert.Equal("west", outbound[1]);
        Assert.StartsWith("127.0.0.1:", outbound[2]);
        Assert.True(long.Parse(outbound[4].Replace(",", "")) > 0, $"no messages shown crossing to west: {string.Join(" | ", outbound)}");
        // The inbound links east 0 has are those west nodes opened to it (0, 1 or 2 of them, as they spread over east).
        var inbound = Gateway(east0).Inbound!.Connections.Count(c => c.State.From is not null);
        Assert.Equal(inbound, links.Count(l => l[0] == "gateway in" && l[1] == "west"));
    }
}
