using Broker.Configuration;

namespace Broker.Tests.Gateways;

public class GatewayConfigTests
{
    [Fact]
    public void The_gateway_block_reads_as_nats_server_users_write_it()
    {
        var options = BrokerConfigLoader.Parse("""
            cluster { name: east, listen: "127.0.0.1:6222" }
            gateway {
              name: east
              listen: "127.0.0.1:7222"
              reject_unknown_cluster: true
              gateways: [
                { name: west, url: "nats://127.0.0.1:7322" }
                { name: north, urls: ["nats://10.0.0.1:7222", "nats://10.0.0.2:7222"] }
              ]
            }
            """);
        var gateway = options.Gateway!;
        Assert.Equal("east", gateway.Name);
        Assert.Equal(new ClusterEndpoint("127.0.0.1", 7222), gateway.Listen);
        Assert.True(gateway.RejectUnknown);
        Assert.Equal(["west", "north"], gateway.Remotes.Select(r => r.Name));
        Assert.Equal([new ClusterEndpoint("127.0.0.1", 7322)], gateway.Remotes[0].Urls);
        Assert.Equal([new ClusterEndpoint("10.0.0.1", 7222), new ClusterEndpoint("10.0.0.2", 7222)], gateway.Remotes[1].Urls);
    }

    [Fact]
    public void A_gateway_needs_no_cluster_and_listens_on_all_interfaces_by_port_alone()
    {
        var gateway = BrokerConfigLoader.Parse("gateway { name: solo, port: 7222 }").Gateway!;
        Assert.Equal(new ClusterEndpoint("0.0.0.0", 7222), gateway.Listen);
        Assert.Empty(gateway.Remotes);
        Assert.False(gateway.RejectUnknown);
    }
}
