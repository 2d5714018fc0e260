using Broker.Cluster;
using Broker.Configuration;
using Broker.Host;

namespace Broker.Tests.Cluster;

public class ClusterConfigTests
{
    [Fact]
    public void Cluster_block_reads_name_listen_and_routes()
    {
        var options = BrokerConfigLoader.Parse("""
            port: 4222
            cluster {
              name: east
              listen: "10.0.0.1:6222"
              routes: [
                "nats-route://10.0.0.2:6222"
                "nats-route://user:pass@10.0.0.3:6222"
              ]
            }
            """);

        var cluster = Assert.IsType<ClusterOptions>(options.Cluster);
        Assert.Equal("east", cluster.Name);
        Assert.Equal(new ClusterEndpoint("10.0.0.1", 6222), cluster.Listen);
        Assert.Equal([new ClusterEndpoint("10.0.0.2", 6222), new ClusterEndpoint("10.0.0.3", 6222)], cluster.Routes);
    }

    [Fact]
    public void No_cluster_block_means_no_cluster() => Assert.Null(BrokerConfigLoader.Parse("port: 4222").Cluster);

    [Theory]
    [InlineData("cluster { routes: [\"nats-route://a:1\"] }", "cluster", "needs \"listen\"")]
    [InlineData("cluster { listen: \"a:1\", routes: [\"http://b:2\"] }", "cluster.routes", "expected a route URL")]
    [InlineData("cluster { listen: \"a:1\", bogus: 1 }", "cluster.bogus", "unknown cluster option")]
    [InlineData("cluster { listen: \"a:1\", tls: {} }", "cluster.tls", "tls needs \"cert_file\" and \"key_file\"")]
    [InlineData("cluster: 5", "cluster", "expected a block")]
    public void Bad_cluster_blocks_are_refused_with_the_key(string text, string key, string problem)
    {
        var e = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse(text));
        Assert.Equal(key, e.Key);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void Every_node_derives_the_same_seed_order()
    {
        var a = new ClusterEndpoint("127.0.0.1", 7001);
        var b = new ClusterEndpoint("127.0.0.1", 7002);
        var c = new ClusterEndpoint("127.0.0.1", 7003);
        var onB = new ClusterOptions { Listen = b, Routes = [c, a] };
        var onC = new ClusterOptions { Listen = c, Routes = [a, b, c] };

        Assert.Equal([a, b, c], ClusterAkkaConfig.SeedNodes(onB));
        Assert.Equal([a, b, c], ClusterAkkaConfig.SeedNodes(onC));
    }

    [Fact]
    public void Akka_config_enables_the_cluster_with_the_split_brain_resolver()
    {
        var cluster = new ClusterOptions { Listen = new("127.0.0.1", 7002), Routes = [new("127.0.0.1", 7001)] };

        var akka = ClusterAkkaConfig.Build(cluster);

        Assert.Equal("cluster", akka.GetString("akka.actor.provider"));
        Assert.Equal("127.0.0.1", akka.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(7002, akka.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(["akka.tcp://broker@127.0.0.1:7001", "akka.tcp://broker@127.0.0.1:7002"], akka.GetStringList("akka.cluster.seed-nodes"));
        Assert.Contains("SplitBrainResolverProvider", akka.GetString("akka.cluster.downing-provider-class"));
        Assert.Equal("keep-majority", akka.GetString("akka.cluster.split-brain-resolver.active-strategy"));
    }

    [Fact]
    public void Flags_set_or_override_the_cluster_block()
    {
        var line = CommandLine.Parse(["--cluster", "nats-route://127.0.0.1:7002", "--routes", "nats-route://127.0.0.1:7001, nats-route://127.0.0.1:7003", "--cluster_name=c1"]);
        var file = new BrokerOptions { Cluster = new ClusterOptions { Name = "file", Listen = new("h", 1) } };

        var cluster = line.ApplyTo(file).Cluster!;

        Assert.Equal("c1", cluster.Name);
        Assert.Equal(new ClusterEndpoint("127.0.0.1", 7002), cluster.Listen);
        Assert.Equal([new ClusterEndpoint("127.0.0.1", 7001), new ClusterEndpoint("127.0.0.1", 7003)], cluster.Routes);
    }

    [Fact]
    public void Routes_without_a_cluster_endpoint_are_refused()
    {
        var line = CommandLine.Parse(["--routes", "nats-route://127.0.0.1:7001"]);
        Assert.Throws<ConfigurationException>(() => line.ApplyTo(new BrokerOptions()));
        Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--cluster", "http://x"]));
    }
}
