using Broker.Configuration;
using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using static Broker.Tests.Gateways.TestSupercluster;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Gateways;

public class GatewayStaleLinkTests
{
    [Fact]
    public async Task A_link_whose_path_goes_silent_is_found_stale_by_pings_and_rebuilt_over_another_url()
    {
        var eastPort = TestCluster.FreePort();
        var westPort = TestCluster.FreePort();
        await using var path = new BlackholeProxy(westPort);
        BrokerOptions Fast(BrokerOptions o, string name, int port, string remote, int remotePort) => o with
        {
            PingInterval = TimeSpan.FromMilliseconds(200),
            PingMax = 2,
            Gateway = new GatewayOptions
            {
                Name = name,
                Listen = new ClusterEndpoint("127.0.0.1", port),
                Remotes = [new RemoteGatewayOptions(remote, [new ClusterEndpoint("127.0.0.1", remotePort)])],
            },
        };
        // East knows west only through the proxy; west's INFO then tells east its real gateway URL.
        await using var east = await TestCluster.StartAsync(1, null, (_, o) => Fast(o, "east", eastPort, "west", path.Port));
        await using var west = await TestCluster.StartAsync(1, null, (_, o) => Fast(o, "west", westPort, "east", eastPort));
        var outbound = Gateway(east[0]).Regions.Single();
        await Eventually.Async(() => outbound.Established, "east's link to west");
        var first = outbound.Connection;

        await using var publisher = await NatsClients.ConnectAsync(east[0].Url);
        await using var onWest = await NatsClients.ConnectAsync(west[0].Url);
        await using var sub = await onWest.SubscribeCoreAsync<int>("beat");
        await WaitRegionInterestAsync(east[0], "beat");
        Assert.Contains(outbound.Urls, u => u.EndsWith($":{westPort}"));

        path.Blackhole();
        await Eventually.Async(() => outbound.Connection != first && outbound.Established && HasRegionInterest(east[0], "beat"), "a new link to west");
        Assert.True(first!.IsClosed);
        await publisher.PublishAsync("beat", 7);
        Assert.Equal(7, (await NatsClients.ReadAsync(sub, 1)).Single().Data);
    }
}
