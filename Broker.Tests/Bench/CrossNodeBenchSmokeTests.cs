using System.Net;
using Broker.Bench.Comparison;
using Broker.Bench.Drivers;
using Broker.Bench.Scenarios;
using Broker.Configuration;
using Broker.Tests.Cluster;
using Broker.Tests.Differential;

namespace Broker.Tests.Bench;

/// <summary>
/// The cross-node benchmark scenarios with tiny counts: against one in-process Broker cluster of
/// three nodes (shared by the class, so each case takes well under a second), and against a
/// nats-server cluster started by the benchmark's own launcher from its own config files. They
/// assert that each scenario completes and reports figures; they time nothing.
/// </summary>
public class CrossNodeBenchSmokeTests(CrossNodeBenchSmokeTests.BrokerCluster broker) : IClassFixture<CrossNodeBenchSmokeTests.BrokerCluster>
{
    public static TheoryData<string, string, int> Runs()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var scenario in ScenarioCatalog.CrossNode)
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
        foreach (var scenario in ScenarioCatalog.CrossNode) data.Add(scenario.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task Scenario_completes_across_an_in_process_Broker_cluster(string name, string driverName, int payload)
    {
        var nodes = broker.Cluster.Nodes.Select(n =>
        {
            var endpoint = new IPEndPoint(IPAddress.Loopback, n.Server.ClientEndpoint.Port);
            return new ServerNode(endpoint, null, driverName == "raw" ? new RawDriver(endpoint) : new NatsClientDriver(endpoint));
        }).ToArray();

        var result = await RunTinyAsync(name, nodes, payload);

        AssertReported(result, name, payload);
    }

    [NatsServerBenchTheory]
    [MemberData(nameof(Names))]
    public async Task Scenario_completes_across_a_nats_server_cluster_from_the_shared_config(string name)
    {
        var paths = new ServerPaths(Path.Combine(AppContext.BaseDirectory, "Broker.Host.dll"), NatsServerProcess.ExecutablePath!);
        using var cluster = ServerCluster.Start(ServerKind.NatsServer, paths, ScenarioCatalog.Find(name).ClusterSize);
        var nodes = cluster.Nodes.Select(n => new ServerNode(n.Endpoint, n.Pid, new RawDriver(n.Endpoint))).ToArray();

        var result = await RunTinyAsync(name, nodes, 16);

        AssertReported(result, name, 16);
        Assert.True(result.ServerPeakResidentBytes > 0, "peak RSS is read from /proc and summed over the nodes");
    }

    [Fact]
    public void Cluster_config_files_share_one_cluster_block_and_Broker_loads_them()
    {
        using var files = ClusterConfigFiles.Write(3);

        var routes = files.RoutePorts.Select(p => new ClusterEndpoint("127.0.0.1", p)).ToArray();
        for (var i = 0; i < 3; i++)
        {
            var options = BrokerConfigLoader.LoadFile(files.Paths[i]);
            Assert.Equal(files.ClientPorts[i], options.Port);
            Assert.Equal("bench", options.Cluster!.Name);
            Assert.Equal(routes[i], options.Cluster.Listen);
            Assert.Equal(routes, options.Cluster.Routes);
        }
        Assert.Equal(6, files.ClientPorts.Concat(files.RoutePorts).Distinct().Count());
    }

    private static Task<ScenarioResult> RunTinyAsync(string name, ServerNode[] nodes, int payload) =>
        ScenarioCatalog.Find(name).RunAsync(ScenarioContext.ForNodes(nodes, payload, count: 300, TimeSpan.FromSeconds(60), warmup: TimeSpan.Zero));

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

    /// <summary>One in-process Broker cluster of three nodes for the whole class (the 2-node scenarios use nodes 0 and 1).</summary>
    public sealed class BrokerCluster : IAsyncLifetime
    {
        public TestCluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync() => Cluster = await TestCluster.StartAsync(3);

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }
}

/// <summary>Runs only where nats-server is installed, and says so when it is not.</summary>
public sealed class NatsServerBenchTheoryAttribute : TheoryAttribute
{
    public NatsServerBenchTheoryAttribute()
    {
        if (!NatsServerProcess.IsAvailable) Skip = "nats-server is not on PATH: the nats-server side of the cross-node benchmark smoke test is skipped";
    }
}
