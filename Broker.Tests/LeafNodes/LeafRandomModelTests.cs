using System.Text;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;
using Xunit.Abstractions;
using static Broker.Tests.LeafNodes.LeafTestSupport;

namespace Broker.Tests.LeafNodes;

/// <summary>
/// A seeded random sequence of subscribe, unsubscribe (plain and queue), publish and link cut on
/// both sides of a Broker hub and a Broker leaf, checked against a model of who must receive what:
/// every matching plain subscription exactly once, one member of each queue group. The seed is in
/// every failure message; set LEAF_MODEL_SEED to replay one.
/// </summary>
public sealed class LeafRandomModelTests(ITestOutputHelper output)
{
    private static readonly string[] PlainSubjects = ["m.a", "m.b", "m.*", "m.>", "n.a"];
    private static readonly string[] PublishSubjects = ["m.a", "m.b", "m.c.d", "n.a"];
    // Queue members subscribe to literal subjects only: one group per (subject, queue) on both sides.
    private static readonly string[] QueueSubjects = ["m.a", "n.a"];
    private static readonly string[] QueueNames = ["q1", "q2"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public Task A_fixed_seed_matches_the_model(int seed) => RunAsync(seed);

    [Fact]
    public Task A_fresh_seed_matches_the_model() =>
        RunAsync(int.TryParse(Environment.GetEnvironmentVariable("LEAF_MODEL_SEED"), out var seed) ? seed : Environment.TickCount & 0x7fffffff);

    private sealed class ModelSub(int id, bool onHub, NatsConnection connection, string subject, string? queue, INatsSub<int> sub)
    {
        public int Id { get; } = id;
        public bool OnHub { get; } = onHub;
        public NatsConnection Connection { get; } = connection;
        public string Subject { get; } = subject;
        public string? Queue { get; } = queue;
        public INatsSub<int> Sub { get; } = sub;
        public List<int> Received { get; } = [];
        public Task? Reader { get; set; }
        public string Key => Queue is null ? Subject : $"{Subject} {Queue}";
    }

    private async Task RunAsync(int seed)
    {
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var trace = new StringBuilder();
        await using var hub = await StartHubAsync();
        await using var leaf = await StartLeafAsync(LeafUrl(hub));
        await WaitLinkAsync(leaf);
        NatsConnection[] hubClients = [await NatsClients.ConnectAsync(hub.Url), await NatsClients.ConnectAsync(hub.Url)];
        NatsConnection[] leafClients = [await NatsClients.ConnectAsync(leaf.Url), await NatsClients.ConnectAsync(leaf.Url)];
        var live = new List<ModelSub>();
        var all = new List<ModelSub>();
        // Expected receipts: message id → plain subscriptions that must get it once, and the queue groups (their members then).
        var expectedPlain = new Dictionary<int, int[]>();
        var expectedGroups = new Dictionary<int, int[][]>();
        var nextSub = 0;
        var nextMessage = 0;
        try
        {
            for (var step = 0; step < 60; step++)
            {
                var roll = random.Next(100);
                var onHub = random.Next(2) == 0;
                var connection = (onHub ? hubClients : leafClients)[random.Next(2)];
                if (roll < 35 || live.Count == 0)
                {
                    var queued = random.Next(3) == 0;
                    var subject = queued ? QueueSubjects[random.Next(QueueSubjects.Length)] : PlainSubjects[random.Next(PlainSubjects.Length)];
                    var queue = queued ? QueueNames[random.Next(QueueNames.Length)] : null;
                    var sub = new ModelSub(nextSub++, onHub, connection, subject, queue, await connection.SubscribeCoreAsync<int>(subject, queueGroup: queue));
                    sub.Reader = Task.Run(async () =>
                    {
                        await foreach (var msg in sub.Sub.Msgs.ReadAllAsync())
                        {
                            lock (sub.Received) sub.Received.Add(msg.Data);
                        }
                    });
                    live.Add(sub);
                    all.Add(sub);
                    trace.Append($"{step}: sub#{sub.Id} {(onHub ? "hub" : "leaf")} {sub.Key}\n");
                    await connection.PingAsync();
                }
                else if (roll < 55)
                {
                    var sub = live[random.Next(live.Count)];
                    live.Remove(sub);
                    trace.Append($"{step}: unsub#{sub.Id}\n");
                    await sub.Sub.UnsubscribeAsync();
                    await sub.Connection.PingAsync();
                }
                else if (roll < 60)
                {
                    trace.Append($"{step}: cut the link\n");
                    var link = LinksOf(leaf).Single(l => !l.IsClosed);
                    link.Close("Test Cut");
                    await link.Completion;
                    await Eventually.Async(() => LinksOf(leaf).Any(l => l.IsEstablished && !l.IsClosed && !ReferenceEquals(l, link)), "the leaf to reconnect");
                }
                else
                {
                    var subject = PublishSubjects[random.Next(PublishSubjects.Length)];
                    var id = nextMessage++;
                    trace.Append($"{step}: pub {(onHub ? "hub" : "leaf")} {subject} #{id}\n");
                    var matching = live.Where(s => Broker.Subjects.SubjectMatcher.Matches(Encoding.ASCII.GetBytes(s.Subject), Encoding.ASCII.GetBytes(subject))).ToList();
                    expectedPlain[id] = [.. matching.Where(s => s.Queue is null).Select(s => s.Id)];
                    expectedGroups[id] = [.. matching.Where(s => s.Queue is not null).GroupBy(s => s.Key).Select(g => g.Select(s => s.Id).ToArray())];
                    await connection.PublishAsync(subject, id);
                    // The server has taken the PUB before the next step: a subscription made next on another
                    // connection must not be able to overtake it (the model counts it as made after the publish).
                    await connection.PingAsync();
                    await CheckAsync(all, expectedPlain, expectedGroups, seed, trace);
                    continue;
                }
                await WaitInterestAsync(hub, leaf, live, seed, trace);
            }
        }
        finally
        {
            foreach (var client in hubClients.Concat(leafClients)) await client.DisposeAsync();
        }
    }

    /// <summary>Until each side's link holds exactly the other side's live interest keys (a cut link is back and resynced too).</summary>
    private static Task WaitInterestAsync(TestBroker hub, TestBroker leaf, List<ModelSub> live, int seed, StringBuilder trace)
    {
        var fromLeaf = live.Where(s => !s.OnHub).Select(s => s.Key).ToHashSet();
        var fromHub = live.Where(s => s.OnHub).Select(s => s.Key).ToHashSet();
        return Until(() => Keys(hub).SetEquals(fromLeaf) && Keys(leaf).SetEquals(fromHub),
            () => $"interest: hub holds [{string.Join(", ", Keys(hub))}] want [{string.Join(", ", fromLeaf)}]; leaf holds [{string.Join(", ", Keys(leaf))}] want [{string.Join(", ", fromHub)}]",
            seed, trace);
    }

    private static HashSet<string> Keys(TestBroker broker) =>
        LinksOf(broker).Where(l => l.IsEstablished && !l.IsClosed).SelectMany(l => l.InterestKeys)
            // Not the model's: the loop detector, and the clients' reply inboxes.
            .Where(k => !k.StartsWith("$LDS.", StringComparison.Ordinal) && !k.StartsWith("_INBOX.", StringComparison.Ordinal)).ToHashSet();

    /// <summary>Waits for every expected receipt, then checks there is nothing more: plain subscriptions once each, one member per group.</summary>
    private static async Task CheckAsync(List<ModelSub> all, Dictionary<int, int[]> plain, Dictionary<int, int[][]> groups, int seed, StringBuilder trace)
    {
        var expected = plain.Values.Sum(p => p.Length) + groups.Values.Sum(g => g.Length);
        await Until(() => Received(all).Count >= expected, () => $"{Received(all).Count} of {expected} deliveries arrived", seed, trace);
        var received = Received(all);
        foreach (var (id, subs) in plain)
        {
            foreach (var sub in subs)
            {
                var count = received.Count(r => r.Sub == sub && r.Message == id);
                if (count != 1) Fail($"message #{id} reached sub#{sub} {count} times", seed, trace);
            }
        }
        foreach (var (id, memberSets) in groups)
        {
            foreach (var members in memberSets)
            {
                var count = received.Count(r => r.Message == id && members.Contains(r.Sub));
                if (count != 1) Fail($"message #{id} reached queue group [{string.Join(",", members.Select(m => $"sub#{m}"))}] {count} times", seed, trace);
            }
        }
        if (received.Count != expected)
        {
            var unexpected = received.Where(r => !(plain.TryGetValue(r.Message, out var p) && p.Contains(r.Sub))
                && !(groups.TryGetValue(r.Message, out var g) && g.Any(m => m.Contains(r.Sub))));
            Fail($"{received.Count} deliveries where the model expects {expected}; not in the model: {string.Join(", ", unexpected.Select(r => $"#{r.Message} to sub#{r.Sub}"))}", seed, trace);
        }
    }

    private static List<(int Sub, int Message)> Received(List<ModelSub> all) =>
        [.. all.SelectMany(s => { lock (s.Received) return s.Received.Select(m => (s.Id, m)).ToArray(); })];

    private static async Task Until(Func<bool> condition, Func<string> describe, int seed, StringBuilder trace)
    {
        try
        {
            await Eventually.Async(condition, "the model's state");
        }
        catch (TimeoutException)
        {
            Fail(describe(), seed, trace);
        }
    }

    private static void Fail(string what, int seed, StringBuilder trace) =>
        Assert.Fail($"seed {seed} (replay with LEAF_MODEL_SEED={seed}): {what}\n{trace}");
}
