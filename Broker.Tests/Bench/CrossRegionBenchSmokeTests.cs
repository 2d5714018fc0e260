using System.Net;
using Broker.Bench.Comparison;
using Broker.Bench.Drivers;
using Broker.Bench.Scenarios;
using Broker.Configuration;
using Broker.Tests.Differential;
using Broker.Tests.Gateways;

namespace Broker.Tests.Bench;

/// <summary>
/// The cross-region benchmark scenarios with tiny counts: against one in-process Broker
/// supercluster of regions A and B, two nodes each (shared by the class; the one-node-region
/// scenarios use the first node of each region), and against a nats-server supercluster started
/// by the benchmark's own launcher from its own config files. They assert that each scenario
/// completes and reports figures; they time nothing.
/// </summary>
public class CrossRegionBenchSmokeTests(CrossRegionBenchSmokeTests.BrokerSupercluster broker)
    : IClassFixture<CrossRegionBenchSmokeTests.BrokerSupercluster>
{
    public static TheoryData<string, string, int> Runs()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var scenario in ScenarioCatalog.CrossRegion)
        {
            foreach (var payload in new[] { 16, 1024 })
            {
                data.Add(scenario.Name, "raw", payload);
                if (scenario.SupportsClientLibrary) data.Add(scenario.Name, "nats.net", payload);
            }
        }
        return data;
    }

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var scenario in ScenarioCatalog.CrossRegion) data.Add(scenario.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task Scenario_completes_across_an_in_process_Broker_supercluster(string name, string driverName, int payload)
    {
        var scenario = ScenarioCatalog.Find(name);
        var nodesPerRegion = scenario.ClusterSize / scenario.Regions;
        // Region A's nodes first, then region B's: the numbering SuperclusterConfigFiles uses.
        var nodes = new[] { "A", "B" }.SelectMany(r => broker.Supercluster[r].Nodes.Take(nodesPerRegion)).Select(n =>
        {
            var endpoint = new IPEndPoint(IPAddress.Loopback, n.Server.ClientEndpoint.Port);
            return new ServerNode(endpoint, null, driverName == "raw" ? new RawDriver(endpoint) : new NatsClientDriver(endpoint));
        }).ToArray();

        var result = await RunTinyAsync(scenario, nodes, payload);

        AssertReported(result, name, payload);
    }

    [NatsServerBenchTheory]
    [MemberData(nameof(Names))]
    public async Task Scenario_completes_across_a_nats_server_supercluster_from_the_shared_config(string name)
    {
        var scenario = ScenarioCatalog.Find(name);
        var paths = new ServerPaths(Path.Combine(AppContext.BaseDirectory, "Broker.Host.dll"), NatsServerProcess.ExecutablePath!);
        using var supercluster = ServerCluster.Start(ServerKind.NatsServer, paths, scenario.ClusterSize, scenario.Regions);
        var nodes = supercluster.Nodes.Select(n => new ServerNode(n.Endpoint, n.Pid, new RawDriver(n.Endpoint))).ToArray();

        var result = await RunTinyAsync(scenario, nodes, 16);

        AssertReported(result, name, 16);
        Assert.True(result.ServerPeakResidentBytes > 0, "peak RSS is read from /proc and summed over the nodes");
    }

    [Fact]
    public void Supercluster_config_files_share_the_gateway_blocks_and_Broker_loads_them()
    {
        using var files = SuperclusterConfigFiles.Write(regions: 2, nodesPerRegion: 2);

        var gatewayEndpoints = files.GatewayPorts.Select(p => new ClusterEndpoint("127.0.0.1", p)).ToArray();
        for (var i = 0; i < 4; i++)
        {
            var options = BrokerConfigLoader.LoadFile(files.Paths[i]);
            var region = i < 2 ? "A" : "B";
            var other = i < 2 ? "B" : "A";
            Assert.Equal(files.ClientPorts[i], options.Port);
            Assert.Equal(region, options.Gateway!.Name);
            Assert.Equal(gatewayEndpoints[i], options.Gateway.Listen);
            var remote = Assert.Single(options.Gateway.Remotes);
            Assert.Equal(other, remote.Name);
            Assert.Equal(i < 2 ? gatewayEndpoints[2..] : gatewayEndpoints[..2], remote.Urls);
            Assert.Equal(region, options.Cluster!.Name);
            Assert.Equal(new ClusterEndpoint("127.0.0.1", files.RoutePorts[i]), options.Cluster.Listen);
        }
        Assert.Equal(12, files.ClientPorts.Concat(files.GatewayPorts).Concat(files.RoutePorts).Distinct().Count());
    }

    [Fact]
    public void Regions_of_one_node_get_no_cluster_block()
    {
        using var files = SuperclusterConfigFiles.Write(regions: 2, nodesPerRegion: 1);

        var options = BrokerConfigLoader.LoadFile(files.Paths[1]);
        Assert.Null(options.Cluster);
        Assert.Equal("B", options.Gateway!.Name);
        Assert.Empty(files.RoutePorts);
    }

    [Fact]
    public void Subscribers_connect_to_region_B_only()
    {
        // The firehose variants place subscribers through their paced scenario's SubscriberNode: checked here.
        foreach (var scenario in ScenarioCatalog.CrossRegion.OfType<ThroughputScenario>())
        {
            var nodesPerRegion = scenario.ClusterSize / scenario.Regions;
            var nodes = Enumerable.Range(0, 4).Select(scenario.SubscriberNode).Distinct().Order().ToArray();
            Assert.Equal(Enumerable.Range(nodesPerRegion, nodesPerRegion), nodes);
        }
    }

    private static Task<ScenarioResult> RunTinyAsync(Scenario scenario, ServerNode[] nodes, int payload) =>
        scenario.RunAsync(ScenarioContext.ForNodes(nodes, payload, count: 300, TimeSpan.FromSeconds(60), warmup: TimeSpan.Zero));

    private static void AssertReported(ScenarioResult result, string name, int payload)
    {
        Assert.Equal(name, result.Scenario);
        Assert.Equal(payload, result.PayloadSize);
        // A firehose run that lost anything throws; one that returns reports its delivered rate and zero lost.
        var firehose = name.StartsWith("firehose-", StringComparison.Ordinal);
        Assert.Equal(firehose ? "delivered/s" : "received/s", result.Primary.Name);
        Assert.True(result.Primary.Value > 0, $"{result.Primary.Name} = {result.Primary.Value}");
        Assert.All(result.Metrics, m => Assert.True(m.Value >= 0 && double.IsFinite(m.Value), $"{m.Name} = {m.Value}"));
        if (firehose) Assert.Equal(0, result.Metrics.Single(m => m.Name == "lost").Value);
    }

    /// <summary>One in-process supercluster, regions A and B of two nodes each, for the whole class.</summary>
    public sealed class BrokerSupercluster : IAsyncLifetime
    {
        public TestSupercluster Supercluster { get; private set; } = null!;

        public async Task InitializeAsync() => Supercluster = await TestSupercluster.StartAsync(2, "A", "B");

        public async Task DisposeAsync() => await Supercluster.DisposeAsync();
    }
}
