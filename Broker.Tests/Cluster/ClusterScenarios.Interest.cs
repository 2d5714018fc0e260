using NATS.Client.Core;

namespace Broker.Tests.Cluster;

// Interest that exists before a node joins, and interest that leaves.
public static partial class ClusterScenarios
{
    private static IReadOnlyList<string> ExpectedLateJoiner() =>
    [
        "A plain, subscribed before C joined, from C: " + Numbered("L", 10),
        "B queue member, subscribed before C joined, from C: " + Numbered("L", 10),
        "C, the late joiner, from A: " + Numbered("R", 5),
    ];

    /// <summary>C, started after A and B had interest, publishes to it; then A publishes to C's new interest.</summary>
    private static async Task<IReadOnlyList<string>> LateJoinerAsync(ClusterFixture fixture)
    {
        var run = Run();
        var subject = $"late.{run}.x";
        await using var c = await ConnectAsync(fixture.Cluster, 2);
        await c.ProbeUntilAsync(subject, () => fixture.EarlyPlainOnA.HasProbeOn(subject) && fixture.EarlyQueueOnB.HasProbeOn(subject), "the interest A and B had before C joined");
        for (var i = 0; i < 10; i++) await c.PublishAsync(subject, $"L{i}");
        await c.FlushThroughAsync(fixture.EarlyOnA, fixture.EarlyOnB);

        var back = $"back.{run}";
        await using var a = await ConnectAsync(fixture.Cluster, 0);
        var onC = await c.SubscribeAsync("C, the late joiner", back);
        await a.ProbeUntilAsync(back, () => onC.HasProbeOn(back), "C's new interest");
        for (var i = 0; i < 5; i++) await a.PublishAsync(back, $"R{i}");
        await a.FlushThroughAsync(c);

        string Line(RecordingSubscription s, string from, string prefix) =>
            $"{s.Name}, from {from}: {string.Join(" ", s.Collect().Where(m => m.Subject.StartsWith(prefix, StringComparison.Ordinal)).Select(m => m.Data))}";
        return [Line(fixture.EarlyPlainOnA, "C", subject), Line(fixture.EarlyQueueOnB, "C", subject), Line(onC, "A", back)];
    }

    private static IReadOnlyList<string> ExpectedInterestRemoval() =>
    [
        "B with max 5, from A: " + Numbered("U", 5),
        "after B's fifth message, a request from A: no responders",
        "after B's other client closed, a request from A: no responders",
    ];

    /// <summary>
    /// B's subscription with a maximum of 5 (UNSUB sid 5), and B's other client that closes: the
    /// message count is kept across nodes, and A forgets both interests (its requests then get
    /// no responders at once instead of waiting).
    /// </summary>
    private static async Task<IReadOnlyList<string>> InterestRemovalAsync(ProcessCluster cluster)
    {
        var run = Run();
        var limited = $"gone.{run}.max";
        var closing = $"gone.{run}.closed";
        await using var a = await ConnectAsync(cluster, 0);
        await using var b = await ConnectAsync(cluster, 1);
        await using var other = await ConnectAsync(cluster, 1);
        var onB = await b.SubscribeAsync("B with max 5", limited, opts: new NatsSubOpts { MaxMsgs = 5 });
        await other.SubscribeAsync("B's other client", closing);
        // Probes would count towards the maximum: instead, a subscriber's interest travels ahead
        // of its connection's next message, so A's node knows it once B's marker reached A.
        await b.FlushThroughAsync(a);
        await other.FlushThroughAsync(a);

        for (var i = 0; i < 10; i++) await a.PublishAsync(limited, $"U{i}");
        await a.FlushThroughAsync(b);
        await other.DisposeAsync();

        return
        [
            $"{onB.Name}, from A: {string.Join(" ", onB.Payloads())}",
            $"after B's fifth message, a request from A: {await RequestUntilNoRespondersAsync(a, limited)}",
            $"after B's other client closed, a request from A: {await RequestUntilNoRespondersAsync(a, closing)}",
        ];
    }

    /// <summary>Requests until the answer is "no responders" (the interest is gone on the requester's node) or the deadline passes.</summary>
    private static async Task<string> RequestUntilNoRespondersAsync(ScenarioConnection from, string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var reply = await from.Connection.RequestAsync<string, string>(subject, "?", replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromMilliseconds(250) });
                last = $"answered {reply.Data}";
            }
            catch (NatsNoRespondersException)
            {
                return "no responders";
            }
            catch (NatsNoReplyException)
            {
                // Still routed to where the interest was; it has not been withdrawn on this node yet.
                last = "no reply";
            }
        }
        return last;
    }
}
