using NATS.Client.Core;

namespace Broker.Tests.Cluster;

// A queue message that reaches a node whose member can no longer take it.
public static partial class ClusterScenarios
{
    private const int HandOnCount = 200;

    private static IReadOnlyList<string> ExpectedQueueHandOn() =>
    [
        "B member with max 5 received 5",
        $"the group received {HandOnCount} of {HandOnCount}, none twice",
    ];

    /// <summary>
    /// A's publisher has no member of its own: the group is a member on B that takes 5 messages
    /// (UNSUB sid 5) and one on C. A burst from A spreads over both; those still on their way to B
    /// once B's member has its 5 find no member there that takes them, and B hands them on to
    /// C's, as nats-server does with a routed queue message its local members cannot take. Every
    /// message reaches the group once (issue 17: the same gap lost messages in rolling restarts).
    /// </summary>
    private static async Task<IReadOnlyList<string>> QueueHandOnAsync(ProcessCluster cluster)
    {
        var subject = $"handon.{Run()}";
        await using var a = await ConnectAsync(cluster, 0);
        await using var b = await ConnectAsync(cluster, 1);
        await using var c = await ConnectAsync(cluster, 2);
        var onB = await b.SubscribeAsync("B member with max 5", subject, "workers", new NatsSubOpts { MaxMsgs = 5 });
        var onC = await c.SubscribeAsync("C member", subject, "workers");
        // No probes (they would count towards B's maximum): interest travels ahead of its connection's next message.
        await b.FlushThroughAsync(a, c);
        await c.FlushThroughAsync(a, b);

        for (var i = 0; i < HandOnCount; i++) await a.PublishAsync(subject, $"H{i}");
        await a.FlushThroughAsync(b, c);
        // What B handed on travels B to C ahead of B's marker.
        await b.FlushThroughAsync(c);

        var all = onB.Payloads().Concat(onC.Payloads()).ToList();
        return
        [
            $"{onB.Name} received {onB.Payloads().Count}",
            $"the group received {all.Distinct().Count()} of {HandOnCount}, {(all.Count == all.Distinct().Count() ? "none" : $"{all.Count - all.Distinct().Count()}")} twice",
        ];
    }
}
