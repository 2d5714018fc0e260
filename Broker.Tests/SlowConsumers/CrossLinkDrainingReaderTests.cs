using Broker.Tests.Cluster;
using Broker.Tests.Gateways;
using Xunit.Abstractions;

namespace Broker.Tests.SlowConsumers;

/// <summary>
/// <see cref="DrainingReaderTests"/> with the publisher on another node (the node data link) and
/// in another region (the gateway link, then the node link inside the region): a subscriber that
/// drains is slowed down to across the links, never cut; the stuck one is cut; the fast one loses nothing.
/// </summary>
public class CrossLinkDrainingReaderTests(ITestOutputHelper output)
{
    private static Broker.Configuration.BrokerOptions Limits(Broker.Configuration.BrokerOptions o) =>
        o with { MaxPending = DrainingReaderScenario.MaxPending, WriteDeadline = DrainingReaderScenario.WriteDeadline };

    [Fact]
    public async Task Publisher_on_another_node()
    {
        await using var cluster = await TestCluster.StartAsync(2, configure: Limits);

        await DrainingReaderExpectations.RunAndAssertAsync(
            cluster[1].Server, cluster[0].Server.ClientEndpoint.Port, () => cluster[0].WaitRemoteInterestAsync("load"), output);
    }

    [Fact]
    public async Task Publisher_in_another_region_subscribers_on_the_gateway_node()
    {
        await using var regions = await TestSupercluster.StartAsync(1, Limits, "east", "west");
        var publisherNode = regions["east"][0];

        await DrainingReaderExpectations.RunAndAssertAsync(
            regions["west"][0].Server, publisherNode.Server.ClientEndpoint.Port, () => TestSupercluster.WaitRegionInterestAsync(publisherNode, "load"), output);
    }

    [Fact]
    public async Task Publisher_in_another_region_subscribers_behind_a_node_link()
    {
        await using var regions = await TestSupercluster.StartAsync(2, Limits, "east", "west");
        var publisherNode = regions["east"][0];
        var west = regions["west"];

        // Whichever west node east's link reaches, the subscribers are on the other: the message crosses the gateway, then a node link.
        var gatewayNode = await GatewayTargetAsync(regions, publisherNode, west);
        var subscriberNode = west.Nodes.Single(n => n != gatewayNode);
        await DrainingReaderExpectations.RunAndAssertAsync(
            subscriberNode.Server, publisherNode.Server.ClientEndpoint.Port,
            async () =>
            {
                await gatewayNode.WaitRemoteInterestAsync("load");
                await TestSupercluster.WaitRegionInterestAsync(publisherNode, "load");
            },
            output);
    }

    private static async Task<TestCluster.Node> GatewayTargetAsync(TestSupercluster regions, TestCluster.Node from, TestCluster west)
    {
        await regions.WaitLinkedAsync();
        var remote = TestSupercluster.Gateway(from).Regions.Single(r => r.Name == "west").RemoteNode;
        return west.Nodes.Single(n => TestSupercluster.Gateway(n).Local.Node == remote);
    }
}
