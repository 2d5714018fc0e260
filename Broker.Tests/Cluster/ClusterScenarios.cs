using NATS.Client.Core;

namespace Broker.Tests.Cluster;

/// <summary>
/// The scenario driver: each scenario runs NATS.Net clients against a <see cref="ClusterFixture"/>
/// of either kind and returns what they observed as lines of text, deterministic for a correct
/// cluster, so Broker's outcome can be compared with <see cref="Expected"/> and with nats-server's.
/// Nodes 0, 1, 2 are called A, B, C; every run uses subjects of its own.
/// </summary>
public static class ClusterScenarios
{
    public const string PubSub = "pub/sub across nodes";
    public const string QueueGroups = "queue groups exactly once";
    public const string RequestReply = "request/reply across nodes";
    public const string LateJoiner = "a late joiner gets existing interest";
    public const string InterestRemoval = "interest leaves with auto-unsubscribe and a closed client";
    public const string Payloads = "payloads from empty to max_payload";
    public const string AccountIsolation = "accounts stay apart across nodes";
    public const string StreamImport = "a stream import reaches the importer's subscribers on other nodes";

    public static TheoryData<string> Names => new() { PubSub, QueueGroups, RequestReply, LateJoiner, InterestRemoval, Payloads, AccountIsolation, StreamImport };

    public static Task<IReadOnlyList<string>> RunAsync(string name, ClusterFixture fixture) => name switch
    {
        PubSub => PubSubAsync(fixture.Cluster),
        QueueGroups => QueueGroupsAsync(fixture.Cluster),
        RequestReply => RequestReplyAsync(fixture.Cluster),
        LateJoiner => LateJoinerAsync(fixture),
        InterestRemoval => InterestRemovalAsync(fixture.Cluster),
        Payloads => PayloadsAsync(fixture.Cluster),
        AccountIsolation => AccountIsolationAsync(fixture.Cluster),
        StreamImport => StreamImportAsync(fixture.Cluster),
        _ => throw new ArgumentException(name),
    };

    /// <summary>What a correct cluster shows: the model each outcome is checked against.</summary>
    public static IReadOnlyList<string> Expected(string name) => name switch
    {
        PubSub => PubSubPlan.Expected(),
        QueueGroups =>
        [
            $"workers: {QueueMessages} of {QueueMessages} delivered, 0 more than once",
            "workers: members on B got some, members on C got some",
        ],
        RequestReply =>
        [
            "echo on C: " + Numbered("C:r", Requests),
            "work on B or C: " + Numbered("w", Requests),
            "nobody: no responders",
        ],
        LateJoiner =>
        [
            "A plain, subscribed before C joined, from C: " + Numbered("L", 10),
            "B queue member, subscribed before C joined, from C: " + Numbered("L", 10),
            "C, the late joiner, from A: " + Numbered("R", 5),
        ],
        InterestRemoval =>
        [
            "B with max 5, from A: " + Numbered("U", 5),
            "after B's fifth message, a request from A: no responders",
            "after B's other client closed, a request from A: no responders",
        ],
        Payloads =>
        [
            "B from A: " + string.Join(" ", PayloadSizes.Select(n => $"{n}:intact")),
            "C from A: " + string.Join(" ", PayloadSizes.Select(n => $"{n}:intact")),
        ],
        AccountIsolation =>
        [
            "RED on B: " + Numbered("red", 5),
            "RED on C: " + Numbered("red", 5),
            "BLUE on B: " + Numbered("blue", 5),
            "BLUE on C: " + Numbered("blue", 5),
            "$G on B: ",
        ],
        StreamImport =>
        [
            "SHOP on A: " + Numbered("order", 5) + " last",
            "SHOP on C: " + Numbered("order", 5) + " last",
            "ORDERS on B: " + Numbered("order", 5) + " last",
        ],
        _ => throw new ArgumentException(name),
    };

    private const int QueueMessages = 200;
    private const int Requests = 10;

    private static string Numbered(string prefix, int count) => string.Join(" ", Enumerable.Range(0, count).Select(i => prefix + i));

    private static string Run() => Guid.NewGuid().ToString("N")[..8];

    private static Task<ScenarioConnection> ConnectAsync(ProcessCluster cluster, int node) =>
        ScenarioConnection.ConnectAsync(((char)('A' + node)).ToString(), cluster.Url(node));

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

    /// <summary>
    /// A publisher on A with queue members only on B and C: every message crosses to exactly one of
    /// them. (With a member on A too, the two kinds differ on purpose: the broker prefers the local
    /// member, DESIGN semantic 3, while a nats-server cluster picks among all members; see
    /// <see cref="ProcessClusterTests"/>.)
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

    /// <summary>Requests from A to a responder on C, to a queue of responders on B and C, and to nobody.</summary>
    private static async Task<IReadOnlyList<string>> RequestReplyAsync(ProcessCluster cluster)
    {
        var run = Run();
        var echo = $"rr.{run}.echo";
        var work = $"rr.{run}.work";
        await using var a = await ConnectAsync(cluster, 0);
        await using var b = await ConnectAsync(cluster, 1);
        await using var c = await ConnectAsync(cluster, 2);
        await using var echoOnC = await Responder.StartAsync(c, echo, null, "C:");
        await using var workOnB = await Responder.StartAsync(b, work, "svc", "");
        await using var workOnC = await Responder.StartAsync(c, work, "svc", "");
        await a.ProbeUntilAsync(echo, () => echoOnC.Probed, "the responder on C");
        await a.ProbeUntilAsync(work, () => workOnB.Probed && workOnC.Probed, "the responders on B and C");

        var echoed = new List<string>();
        for (var i = 0; i < Requests; i++) echoed.Add((await a.Connection.RequestAsync<string, string>(echo, $"r{i}")).Data!);
        var worked = new List<string>();
        for (var i = 0; i < Requests; i++) worked.Add((await a.Connection.RequestAsync<string, string>(work, $"w{i}")).Data!);
        string nobody;
        try
        {
            await a.Connection.RequestAsync<string, string>($"rr.{run}.nobody", "?");
            nobody = "answered";
        }
        catch (NatsNoRespondersException)
        {
            nobody = "no responders";
        }
        return ["echo on C: " + string.Join(" ", echoed), "work on B or C: " + string.Join(" ", worked), "nobody: " + nobody];
    }

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

    /// <summary>
    /// One subject in three accounts (RED, BLUE and <c>$G</c>) with subscribers on B and C;
    /// RED publishes on A, BLUE on C: each account's subscribers get their own account's messages only.
    /// </summary>
    private static async Task<IReadOnlyList<string>> AccountIsolationAsync(ProcessCluster cluster)
    {
        var subject = $"acct.{Run()}";
        Task<ScenarioConnection> As(string user, int node) => ConnectAsAsync(cluster, user, node);
        await using var redA = await As("red", 0);
        await using var redB = await As("red", 1);
        await using var redC = await As("red", 2);
        await using var blueB = await As("blue", 1);
        await using var blueC = await As("blue", 2);
        await using var anonB = await ScenarioConnection.ConnectAsync("$G on B", cluster.Url(1));
        var receivers = new[] { redB, redC, blueB, blueC, anonB };
        var subscriptions = new List<RecordingSubscription>();
        foreach (var receiver in receivers) subscriptions.Add(await receiver.SubscribeAsync(receiver.Name, subject));
        await redA.ProbeUntilAsync(subject, () => subscriptions[0].HasProbeOn(subject) && subscriptions[1].HasProbeOn(subject), "RED on B and C");
        await blueC.ProbeUntilAsync(subject, () => subscriptions[2].HasProbeOn(subject) && subscriptions[3].HasProbeOn(subject), "BLUE on B and C");

        for (var i = 0; i < 5; i++) await redA.PublishAsync(subject, $"red{i}");
        for (var i = 0; i < 5; i++) await blueC.PublishAsync(subject, $"blue{i}");
        await redA.FlushThroughAsync(redB, redC);
        await blueC.FlushThroughAsync(blueB, blueC);
        // A message that leaked into another account was delivered before those markers; these
        // later markers, one per receiving connection in its own account, come after it.
        await redA.FlushThroughAsync(redB, redC);
        await blueC.FlushThroughAsync(blueB, blueC);
        await anonB.FlushThroughAsync(anonB);

        return subscriptions.Select(s => $"{s.Name}: {string.Join(" ", s.Payloads())}").ToArray();
    }

    /// <summary>A client of the fixture's account named like <paramref name="user"/> (whose password is the same).</summary>
    private static Task<ScenarioConnection> ConnectAsAsync(ProcessCluster cluster, string user, int node) => ScenarioConnection.ConnectAsync(
        $"{user.ToUpperInvariant()} on {(char)('A' + node)}", cluster.Url(node), o => o with { AuthOpts = NatsAuthOpts.Default with { Username = user, Password = user } });

    /// <summary>
    /// ORDERS publishes on A; SHOP imports ORDERS' stream under <c>from_orders.</c> and subscribes on
    /// A and on C; an ORDERS subscriber on B gets the originals.
    /// </summary>
    private static async Task<IReadOnlyList<string>> StreamImportAsync(ProcessCluster cluster)
    {
        var subject = $"orders.{Run()}";
        var imported = $"from_orders.{subject}";
        await using var ordersA = await ConnectAsAsync(cluster, "orders", 0);
        await using var ordersB = await ConnectAsAsync(cluster, "orders", 1);
        await using var shopA = await ConnectAsAsync(cluster, "shop", 0);
        await using var shopC = await ConnectAsAsync(cluster, "shop", 2);
        var subscriptions = new[]
        {
            await shopA.SubscribeAsync("SHOP on A", imported),
            await shopC.SubscribeAsync("SHOP on C", imported),
            await ordersB.SubscribeAsync("ORDERS on B", subject),
        };
        await ordersA.ProbeUntilAsync(subject, () => subscriptions.All(s => s.HasProbeOn(imported) || s.HasProbeOn(subject)), "SHOP on A and C, ORDERS on B");

        for (var i = 0; i < 5; i++) await ordersA.PublishAsync(subject, $"order{i}");
        // End markers cannot cross accounts; a last message through the import can (per-publisher order).
        await ordersA.PublishAsync(subject, "last");
        await Eventually.Async(() => subscriptions.All(s => s.Payloads().Contains("last")), "the last order everywhere");

        return subscriptions.Select(s => $"{s.Name}: {string.Join(" ", s.Payloads())}").ToArray();
    }
}
