using System.Net;
using Broker.Bench.Scenarios;
using static Broker.Tests.LeafNodes.LeafTestSupport;

namespace Broker.Tests.LeafNodes;

/// <summary>
/// A firehose across a leaf link loses nothing: a crowded link pauses its publishers (on the hub,
/// a client's read loop; on the leaf, the link's own read loop when a subscriber there is crowded)
/// instead of being cut as a slow consumer. The sending side's max_pending is tiny (64 KB) so the link's
/// output crowds long before a run ends: without the pause the link is cut and most messages lost.
/// </summary>
public sealed class LeafBackPressureTests
{
    private const int Messages = 20_000;

    [Fact]
    public async Task A_firehose_from_the_hub_reaches_a_leaf_subscriber_whole()
    {
        await using var hub = await StartHubAsync(configure: o => o with { MaxPending = 64 * 1024 });
        await using var leaf = await StartLeafAsync(LeafUrl(hub));
        await WaitLinkAsync(hub);
        using var lane = FirehoseLane.Create(Endpoint(hub), [Endpoint(leaf)], "firehose.down", queueGroup: false, payloadSize: 1024);
        await WaitInterestAsync(hub, "firehose.down");

        var outcome = await Task.Run(() => lane.Run(Messages, DateTime.UtcNow + TimeSpan.FromSeconds(60)));

        Assert.True(outcome.Lost == 0 && outcome.CutOffs == 0, $"lost {outcome.Lost} of {outcome.Expected}, {outcome.CutOffs} cut-off(s), {outcome.FirstError}");
        Assert.Contains(LinksOf(hub), l => !l.IsClosed);
    }

    [Fact]
    public async Task A_firehose_from_the_leaf_reaches_a_hub_subscriber_whole()
    {
        await using var hub = await StartHubAsync();
        await using var leaf = await StartLeafAsync(LeafUrl(hub), configure: o => o with { MaxPending = 64 * 1024 });
        await WaitLinkAsync(hub);
        using var lane = FirehoseLane.Create(Endpoint(leaf), [Endpoint(hub)], "firehose.up", queueGroup: false, payloadSize: 1024);
        await WaitInterestAsync(leaf, "firehose.up");

        var outcome = await Task.Run(() => lane.Run(Messages, DateTime.UtcNow + TimeSpan.FromSeconds(60)));

        Assert.True(outcome.Lost == 0 && outcome.CutOffs == 0, $"lost {outcome.Lost} of {outcome.Expected}, {outcome.CutOffs} cut-off(s), {outcome.FirstError}");
        Assert.Contains(LinksOf(leaf), l => !l.IsClosed);
    }

    private static IPEndPoint Endpoint(Infrastructure.TestBroker broker) => new(IPAddress.Loopback, broker.Port);
}
