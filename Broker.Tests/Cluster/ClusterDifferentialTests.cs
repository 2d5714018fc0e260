using Broker.Tests.Differential;
using Xunit.Abstractions;

namespace Broker.Tests.Cluster;

/// <summary>
/// The scenarios of <see cref="ProcessClusterTests"/> run against a 3-node nats-server cluster
/// made from the same cluster block, and against the brokers: both must observe the same.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public class ClusterDifferentialTests(BrokerClusterFixture brokers, NatsServerClusterFixture natsServers, ITestOutputHelper output)
    : IClassFixture<NatsServerClusterFixture>, IDisposable
{
    /// <summary>Shown with a failure: which nodes ran and what the brokers' logs said about the cluster.</summary>
    public void Dispose()
    {
        output.WriteLine(natsServers.Describe() + "\n" + brokers.Describe());
    }

    [NatsServerTheory]
    [MemberData(nameof(ClusterScenarios.Names), MemberType = typeof(ClusterScenarios))]
    public async Task Brokers_and_nats_server_observe_the_same(string scenario)
    {
        var outcomes = await Task.WhenAll(ClusterScenarios.RunAsync(scenario, natsServers), ClusterScenarios.RunAsync(scenario, brokers));

        // The oracle first: where nats-server disagrees with the model, the scenario is wrong, not the brokers.
        Assert.Equal(ClusterScenarios.Expected(scenario), outcomes[0]);
        Assert.Equal(outcomes[0], outcomes[1]);
    }
}
