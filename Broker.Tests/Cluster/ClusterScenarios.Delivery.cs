namespace Broker.Tests.Cluster;

// Delivery across nodes: pub/sub, queue groups (and where the two kinds differ), payload sizes.
public static partial class ClusterScenarios
{
    private static IReadOnlyList<string> ExpectedPubSub() => PubSubPlan.Expected();

    /// <summary>Plain and wildcard subscribers on every node; publishers on A and C; per-publisher order.</summary>
    private static async Task<IReadOnlyList<string>> PubSubAsync(ProcessCluster cluster)
    {
        var plan = new PubSubPlan(Run());
        await using var a = await ConnectAsync(cluster, 0);
        await using var b = await ConnectAsync(cluster, 1);
        await using var c = await ConnectAsync(cluster, 2);
        var subscriptions = new[]
        {
            await a.SubscribeAsync("A ps.b", plan.B),
            await b.SubscribeAsync("B ps.>", plan.All),
            await c.SubscribeAsync("C ps.a", plan.A),
        };
        await a.ProbeUntilAsync(plan.A, () => subscriptions[1].HasProbeOn(plan.A) && subscriptions[2].HasProbeOn(plan.A), "B and C");
        await a.ProbeUntilAsync(plan.B, () => subscriptions[0].HasProbeOn(plan.B) && subscriptions[1].HasProbeOn(plan.B), "A and B");
        await c.ProbeUntilAsync(plan.B, () => subscriptions[0].HasProbeOn(plan.B) && subscriptions[1].HasProbeOn(plan.B), "A and B");

        foreach (var (publisher, subject, payload) in plan.Messages) await (publisher == "A" ? a : c).PublishAsync(subject, payload);
        await a.FlushThroughAsync(a, b, c);
        await c.FlushThroughAsync(a, b, c);

        return subscriptions.SelectMany(s => PubSubPlan.Publishers.Select(p =>
            PubSubPlan.Line(s.Name, p, s.Collect().Where(m => m.Data!.StartsWith(p, StringComparison.Ordinal)).Select(m => (m.Subject, m.Data!))))).ToArray();
    }

    /// <summary>The pub/sub scenario's messages and the model of who gets which.</summary>
    private sealed class PubSubPlan(string run)
    {
        public static readonly string[] Publishers = ["A", "C"];

        public string A { get; } = $"ps.{run}.a";
        public string B { get; } = $"ps.{run}.b";
        public string All { get; } = $"ps.{run}.>";

        public IEnumerable<(string Publisher, string Subject, string Payload)> Messages =>
            Enumerable.Range(0, 10).Select(i => ("A", i % 2 == 0 ? A : B, $"A{i}"))
                .Concat(Enumerable.Range(0, 5).Select(i => ("C", B, $"C{i}")));

        public static string Line(string subscription, string publisher, IEnumerable<(string Subject, string Payload)> messages)
        {
            var list = messages.Select(m => $"{m.Subject[(m.Subject.LastIndexOf('.') + 1)..]}={m.Payload}").ToList();
            return $"{subscription} from {publisher}: {(list.Count == 0 ? "-" : string.Join(" ", list))}";
        }

        public static IReadOnlyList<string> Expected()
        {
            var plan = new PubSubPlan("x");
            var subscribers = new (string Name, Func<string, bool> Matches)[]
            {
                ("A ps.b", s => s == plan.B),
                ("B ps.>", _ => true),
                ("C ps.a", s => s == plan.A),
            };
            return subscribers.SelectMany(s => Publishers.Select(p =>
                Line(s.Name, p, plan.Messages.Where(m => m.Publisher == p && s.Matches(m.Subject)).Select(m => (m.Subject, m.Payload))))).ToArray();
        }
    }

    private const int QueueMessages = 200;

    private static IReadOnlyList<string> ExpectedQueueGroups() =>
    [
        $"workers: {QueueMessages} of {QueueMessages} delivered, 0 more than once",
        "workers: members on B got some, members on C got some",
    ];

    /// <summary>
    /// A publisher on A with queue members only on B and C: every message crosses to exactly one of
    /// them. (With a member on A too, the two kinds differ on purpose: the broker prefers the local
    /// member, DESIGN semantic 3, while a nats-server cluster picks among all members; see
    /// <see cref="QueueWithAMemberOnThePublishersNodeAsync"/>.)
    /// </summary>
    private static async Task<IReadOnlyList<string>> QueueGroupsAsync(ProcessCluster cluster)
    {
        var run = Run();
        var work = $"qu.{run}";
        await using var a = await ConnectAsync(cluster, 0);
        await using var b = await ConnectAsync(cluster, 1);
        await using var c = await ConnectAsync(cluster, 2);
        var onB = new[] { await b.SubscribeAsync("B workers 1", work, "workers"), await b.SubscribeAsync("B workers 2", work, "workers") };
        var onC = new[] { await c.SubscribeAsync("C workers 1", work, "workers"), await c.SubscribeAsync("C workers 2", work, "workers") };
        await a.ProbeUntilAsync(work, () => onB.Any(s => s.HasProbeOn(work)) && onC.Any(s => s.HasProbeOn(work)), "members on B and on C");

        for (var i = 0; i < QueueMessages; i++) await a.PublishAsync(work, $"W{i}");
        await a.FlushThroughAsync(b, c);

        var deliveries = onB.Concat(onC).SelectMany(s => s.Payloads()).ToList();
        var distinct = deliveries.Distinct().Count();
        string Got(IEnumerable<RecordingSubscription> members) => members.Sum(s => s.Collect().Count) > 0 ? "some" : "none";
        return
        [
            $"workers: {distinct} of {QueueMessages} delivered, {deliveries.Count - distinct} more than once",
            $"workers: members on B got {Got(onB)}, members on C got {Got(onC)}",
        ];
    }

    private static IReadOnlyList<string> ExpectedPayloads() =>
    [
        "B from A: " + string.Join(" ", PayloadSizes.Select(n => $"{n}:intact")),
        "C from A: " + string.Join(" ", PayloadSizes.Select(n => $"{n}:intact")),
    ];

    /// <summary>Around the node link's batch size (256 KiB) and up to the default max_payload (1 MiB).</summary>
    private static readonly int[] PayloadSizes = [0, 1, 4096, 262_143, 262_144, 262_145, 1_000_000, 1_048_576, 7];

    private static string PayloadOf(int size) => string.Create(size, size, (span, n) =>
    {
        for (var i = 0; i < span.Length; i++) span[i] = (char)('a' + (i + n) % 26);
    });

    /// <summary>A burst of payloads of many sizes from A, the largest the servers allow: every byte crosses, in order.</summary>
    private static async Task<IReadOnlyList<string>> PayloadsAsync(ProcessCluster cluster)
    {
        var subject = $"pl.{Run()}";
        await using var a = await ConnectAsync(cluster, 0);
        await using var b = await ConnectAsync(cluster, 1);
        await using var c = await ConnectAsync(cluster, 2);
        var onB = await b.SubscribeAsync("B", subject);
        var onC = await c.SubscribeAsync("C", subject);
        await a.ProbeUntilAsync(subject, () => onB.HasProbeOn(subject) && onC.HasProbeOn(subject), "B and C");

        foreach (var size in PayloadSizes) await a.PublishAsync(subject, PayloadOf(size));
        await a.FlushThroughAsync(b, c);

        string Line(RecordingSubscription s) =>
            $"{s.Name} from A: " + string.Join(" ", s.Payloads().Select(p => $"{p.Length}:{(p == PayloadOf(p.Length) ? "intact" : "corrupt")}"));
        return [Line(onB), Line(onC)];
    }

    public const int NearMessages = 50;

    /// <summary>
    /// Members of one group on B and C, known on A, then one on A; A publishes. The two kinds differ
    /// here by design, so this returns what each member got rather than a shared outcome.
    /// </summary>
    public static async Task<(IReadOnlyList<string> OnA, IReadOnlyList<string> OnB, IReadOnlyList<string> OnC)> QueueWithAMemberOnThePublishersNodeAsync(ProcessCluster cluster)
    {
        var subject = $"near.{Run()}";
        await using var a = await ConnectAsync(cluster, 0);
        await using var b = await ConnectAsync(cluster, 1);
        await using var c = await ConnectAsync(cluster, 2);
        var onB = await b.SubscribeAsync("B", subject, "near");
        var onC = await c.SubscribeAsync("C", subject, "near");
        // The remote members are known on A before A's own joins, so preferring it is a real choice.
        await a.ProbeUntilAsync(subject, () => onB.HasProbeOn(subject) && onC.HasProbeOn(subject), "the members on B and C");
        var onA = await a.SubscribeAsync("A", subject, "near");

        for (var i = 0; i < NearMessages; i++) await a.PublishAsync(subject, $"N{i}");
        await a.FlushThroughAsync(a, b, c);
        return (onA.Payloads(), onB.Payloads(), onC.Payloads());
    }
}
