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

    /// <summary>DESIGN semantic 3; a nats-server cluster differs here (it picks among all members, wherever they are).</summary>
    [Fact]
    public async Task A_queue_member_on_the_publishers_node_takes_every_message()
    {
        var subject = $"near.{Guid.NewGuid():N}";
        await using var a = await ScenarioConnection.ConnectAsync("A", fixture.Cluster.Url(0));
        await using var b = await ScenarioConnection.ConnectAsync("B", fixture.Cluster.Url(1));
        await using var c = await ScenarioConnection.ConnectAsync("C", fixture.Cluster.Url(2));
        var onB = await b.SubscribeAsync("B", subject, "near");
        var onC = await c.SubscribeAsync("C", subject, "near");
        // The remote members are known on A before A's own joins, so preferring it is a real choice.
        await a.ProbeUntilAsync(subject, () => onB.HasProbeOn(subject) && onC.HasProbeOn(subject), "the members on B and C");
        var onA = await a.SubscribeAsync("A", subject, "near");

        for (var i = 0; i < 50; i++) await a.PublishAsync(subject, $"N{i}");
        await a.FlushThroughAsync(a, b, c);

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"N{i}"), onA.Payloads());
        Assert.Empty(onB.Payloads());
        Assert.Empty(onC.Payloads());
    }
}
