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

    /// <summary>
    /// The one difference by design: with a member on the publisher's node, the brokers give it
    /// everything (DESIGN semantic 3), while nats-server picks among all members, wherever they are.
    /// </summary>
    [NatsServerFact]
    public async Task Queue_members_on_other_nodes_get_messages_from_nats_server_but_not_from_the_brokers_when_one_is_local()
    {
        var natsServer = await ClusterScenarios.QueueWithAMemberOnThePublishersNodeAsync(natsServers.Cluster);
        var broker = await ClusterScenarios.QueueWithAMemberOnThePublishersNodeAsync(brokers.Cluster);

        Assert.Equal(ClusterScenarios.NearMessages, natsServer.OnA.Count + natsServer.OnB.Count + natsServer.OnC.Count);
        Assert.NotEmpty(natsServer.OnB.Concat(natsServer.OnC));
        Assert.Equal((ClusterScenarios.NearMessages, 0, 0), (broker.OnA.Count, broker.OnB.Count, broker.OnC.Count));
    }
}
