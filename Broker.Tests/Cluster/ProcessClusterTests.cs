using Xunit.Abstractions;

namespace Broker.Tests.Cluster;

/// <summary>
/// Three Broker.Host processes in one cluster on loopback (two from the config block, the late
/// joiner from the flags), driven by NATS.Net clients connected to different processes.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public class ProcessClusterTests(BrokerClusterFixture fixture, ITestOutputHelper output) : IDisposable
{
    /// <summary>Shown with a failure: which nodes ran and what their logs said about the cluster.</summary>
    public void Dispose() => output.WriteLine(fixture.Describe());

    [Theory]
    [MemberData(nameof(ClusterScenarios.Names), MemberType = typeof(ClusterScenarios))]
    public async Task Scenario_observes_what_a_correct_cluster_delivers(string scenario)
    {
        var outcome = await ClusterScenarios.RunAsync(scenario, fixture);

        Assert.Equal(ClusterScenarios.Expected(scenario), outcome);
    }

    /// <summary>DESIGN semantic 3; a nats-server cluster differs here (see <see cref="ClusterDifferentialTests"/>).</summary>
    [Fact]
    public async Task A_queue_member_on_the_publishers_node_takes_every_message()
    {
        var (onA, onB, onC) = await ClusterScenarios.QueueWithAMemberOnThePublishersNodeAsync(fixture.Cluster);

        Assert.Equal(Enumerable.Range(0, ClusterScenarios.NearMessages).Select(i => $"N{i}"), onA);
        Assert.Empty(onB);
        Assert.Empty(onC);
    }
}
