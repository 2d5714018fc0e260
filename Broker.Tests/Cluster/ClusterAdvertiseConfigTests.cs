using Broker.Runtime;
using Broker.Accounts;
using Broker.Cluster;
using Broker.Configuration;
using Broker.Logging;
using Broker.Server;

namespace Broker.Tests.Cluster;

/// <summary>nats-server's <c>cluster.advertise</c> (<c>cluster_advertise</c>) and <c>cluster.no_advertise</c>.</summary>
public class ClusterAdvertiseConfigTests
{
    [Theory]
    [InlineData("advertise: \"203.0.113.7:16222\"", "203.0.113.7", 16222)]
    [InlineData("cluster_advertise: 203.0.113.7:16222", "203.0.113.7", 16222)]
    [InlineData("cluster_advertise: nats.example.com", "nats.example.com", 6222)]
    public void Advertise_is_the_address_the_other_nodes_reach_this_one_at(string line, string host, int port)
    {
        var cluster = BrokerConfigLoader.Parse($"cluster {{\n  listen: 0.0.0.0:6222\n  {line}\n}}\n").Cluster!;

        Assert.Equal(new ClusterEndpoint(host, port), cluster.Advertise);
        Assert.Equal(new ClusterEndpoint(host, port), ClusterAkkaConfig.Advertised(cluster));
        Assert.Contains(new ClusterEndpoint(host, port), ClusterAkkaConfig.SeedNodes(cluster));
    }

    [Fact]
    public void Akka_listens_on_the_listen_port_and_names_the_advertised_one()
    {
        var cluster = new ClusterOptions { Listen = new ClusterEndpoint("0.0.0.0", 6222), Advertise = new ClusterEndpoint("203.0.113.7", 16222) };

        var config = ClusterAkkaConfig.Build(cluster);

        Assert.Equal("203.0.113.7", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(16222, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("0.0.0.0", config.GetString("akka.remote.dot-netty.tcp.bind-hostname"));
        Assert.Equal(6222, config.GetInt("akka.remote.dot-netty.tcp.bind-port"));
    }

    [Fact]
    public void Without_advertise_akka_binds_where_it_listens()
    {
        var config = ClusterAkkaConfig.Build(new ClusterOptions { Listen = new ClusterEndpoint("127.0.0.1", 6222) });

        Assert.Equal("127.0.0.1", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.False(config.HasPath("akka.remote.dot-netty.tcp.bind-port"));
    }

    [Theory]
    [InlineData("cluster { listen: 127.0.0.1:6222, advertise: \"a:b:c\" }", "cluster.advertise")]
    [InlineData("cluster { listen: 127.0.0.1:6222, no_advertise: maybe }", "cluster.no_advertise")]
    public void Bad_values_are_refused_with_the_key(string text, string key) =>
        Assert.Equal(key, Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse(text)).Key);

    [Fact]
    public void No_advertise_keeps_the_cluster_urls_out_of_the_clients_info()
    {
        var quiet = BrokerConfigLoader.Parse("cluster { listen: 127.0.0.1:6222, no_advertise: true }");
        var loud = BrokerConfigLoader.Parse("cluster { listen: 127.0.0.1:6222 }");
        Assert.True(quiet.Cluster!.NoAdvertise);
        Assert.False(loud.Cluster!.NoAdvertise);

        string[] urls = ["127.0.0.1:4222", "127.0.0.1:4223"];
        Assert.Null(Context(quiet, urls).CreateInfo(1, null).ConnectUrls);
        Assert.Equal(urls, Context(loud, urls).CreateInfo(1, null).ConnectUrls);
    }

    private static ServerContext Context(BrokerOptions options, string[] connectUrls) =>
        new(options, ServerLog.Null, new AccountDirectory(options, 1)) { ConnectUrls = connectUrls };
}
