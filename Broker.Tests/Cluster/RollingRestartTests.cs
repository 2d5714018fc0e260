using Broker.Tests.Infrastructure;
using System.Collections.Concurrent;
using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using Xunit.Abstractions;

namespace Broker.Tests.Cluster;

/// <summary>
/// A rolling restart of a 3-node cluster of Broker.Host processes (each node in turn: lame duck
/// mode by SIGUSR2, exit 0, start again) while NATS.Net clients publish numbered messages and a
/// queue group consumes them: every publish the client confirmed with a PING/PONG round trip
/// reaches exactly one member, nothing arrives twice, and a plain subscriber misses only what
/// was published while its server was going away and before it was back on another.
/// </summary>
public class RollingRestartTests(ITestOutputHelper output)
{
    private const int SigUsr2 = 12;
    private const string Subject = "roll";

    private static NatsOpts FastReconnect(NatsOpts o) => o with
    {
        ReconnectWaitMin = TimeSpan.FromMilliseconds(50),
        ReconnectWaitMax = TimeSpan.FromMilliseconds(250),
        ReconnectJitter = TimeSpan.FromMilliseconds(50),
        MaxReconnectRetry = -1,
    };

    /// <summary>
    /// Numbers in publish order, in batches of 10, each followed by a PING: a batch is confirmed when
    /// its PONG comes back on the same connection (a reconnect in between leaves it unconfirmed, as
    /// the PONG may then answer a later PING on the new server).
    /// </summary>
    private sealed class ConfirmedPublisher
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<int> _confirmed = new();
        private int _published;
        private int _connections;

        public ConfirmedPublisher(NatsConnection connection)
        {
            connection.ConnectionDisconnected += (_, _) =>
            {
                Interlocked.Increment(ref _connections);
                Disconnects.Enqueue(Published);
                return default;
            };
            Running = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    var generation = Volatile.Read(ref _connections);
                    var batchStart = Published;
                    for (var n = batchStart; n < batchStart + 10; n++)
                    {
                        await connection.PublishAsync(Subject, n);
                        Interlocked.Increment(ref _published);
                    }
                    // Pacing, not synchronisation: a steady stream the subscribers keep up with on a loaded machine.
                    await Task.Delay(2);
                    try
                    {
                        await connection.PingAsync();
                        if (Volatile.Read(ref _connections) == generation)
                        {
                            for (var n = batchStart; n < batchStart + 10; n++) _confirmed.Enqueue(n);
                        }
                    }
                    catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException)
                    {
                        // Not confirmed.
                    }
                }
            });
        }

        public Task Running { get; }
        public int Published => Volatile.Read(ref _published);

        /// <summary>How many numbers were confirmed so far.</summary>
        public int ConfirmedCount => _confirmed.Count;

        public IReadOnlyCollection<int> Confirmed => _confirmed;

        /// <summary>The publish count at each disconnect of the publisher's connection.</summary>
        public ConcurrentQueue<int> Disconnects { get; } = new();

        public async Task StopAsync()
        {
            _stop.Cancel();
            await Running.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    private static Task Record(INatsSub<int> sub, ConcurrentQueue<int> into) => Task.Run(async () =>
    {
        await foreach (var msg in sub.Msgs.ReadAllAsync()) into.Enqueue(msg.Data);
    });

    [Fact]
    public async Task Every_confirmed_publish_reaches_one_queue_member_exactly_once_through_a_rolling_restart()
    {
        await using var cluster = new BrokerProcessCluster(3, "logtime: false\nlame_duck_duration: 30s\nlame_duck_grace_period: 1s\n");
        try
        {
            // One at a time: on a loaded machine three simultaneous first joins can time out.
            for (var node = 0; node < 3; node++) await cluster.StartAsync(ClusterLaunch.ConfigFile, node);
            await using var publisher = await NatsClients.ConnectAsync(cluster.Url(0), FastReconnect);
            await using var plain = await NatsClients.ConnectAsync(cluster.Url(1), FastReconnect);
            var members = new List<NatsConnection>();
            for (var node = 0; node < 3; node++) members.Add(await NatsClients.ConnectAsync(cluster.Url(node), FastReconnect));
            try
            {
                var memberQueues = members.Select(_ => new ConcurrentQueue<int>()).ToArray();
                var plainQueue = new ConcurrentQueue<int>();
                var subs = new List<INatsSub<int>>();
                var readers = new List<Task>();
                for (var i = 0; i < members.Count; i++)
                {
                    var sub = await members[i].SubscribeCoreAsync<int>(Subject, queueGroup: "workers");
                    subs.Add(sub);
                    readers.Add(Record(sub, memberQueues[i]));
                    await members[i].PingAsync();
                }
                var plainSub = await plain.SubscribeCoreAsync<int>(Subject);
                subs.Add(plainSub);
                readers.Add(Record(plainSub, plainQueue));
                await plain.PingAsync();
                var pub = new ConfirmedPublisher(publisher);
                // When the plain subscriber's server was told to go: its gap may start there, not before.
                var plainRestarts = new List<int>();
                await Eventually.Async(() => plainQueue.Count > 200, "the stream to reach the plain subscriber", 60);
                for (var node = 0; node < 3; node++)
                {
                    if (plain.ServerInfo?.Port == cluster.ClientPort(node)) plainRestarts.Add(pub.Published);
                    cluster.Signal(node, SigUsr2);
                    Assert.Equal(0, await cluster.WaitForExitAsync(node));
                    await cluster.StartAsync(ClusterLaunch.ConfigFile, node);
                    var confirmedAfterRestart = pub.ConfirmedCount;
                    await Eventually.Async(() => pub.ConfirmedCount > confirmedAfterRestart + 300, $"publishes to be confirmed after node {node} came back", 60);
                    output.WriteLine($"node {node} restarted; published {pub.Published}, confirmed {pub.ConfirmedCount}");
                }
                await pub.StopAsync();
                var confirmed = pub.Confirmed.Order().ToList();
                var published = pub.Published;
                var last = confirmed[^1];
                string Situation()
                {
                    var queuedNow = memberQueues.SelectMany(q => q).ToHashSet();
                    var missing = confirmed.Where(n => !queuedNow.Contains(n)).ToList();
                    return $"confirmed {confirmed.Count} of {published} published; queue members hold {memberQueues.Sum(q => q.Count)}, " +
                        $"missing {missing.Count} confirmed ({string.Join(", ", missing.Take(20))}); the plain subscriber {plainQueue.Count}; " +
                        $"publisher disconnected at {string.Join(", ", pub.Disconnects)}";
                }
                // Every confirmed number, none lost: a queue message on its way over a node link to a member its
                // lame-duck server is closing is handed on to another member (QueueHandOn in ClusterScenarios).
                try
                {
                    await Eventually.Async(
                        () => confirmed.All(memberQueues.SelectMany(q => q).ToHashSet().Contains) && plainQueue.Contains(last),
                        "every confirmed number to arrive", 30);
                }
                catch (TimeoutException)
                {
                    Assert.Fail(Situation());
                }
                output.WriteLine(Situation());

                var queued = memberQueues.SelectMany(q => q).ToList();
                var twice = queued.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
                Assert.True(twice.Count == 0, $"queue messages delivered twice: {string.Join(", ", twice.Take(20))}");

                var plainNumbers = plainQueue.ToList();
                Assert.Equal(plainNumbers.Count, plainNumbers.Distinct().Count());
                // One publisher, in-order delivery: each time the subscriber had no server shows as one run of missing numbers.
                // Runs of missing numbers among all published (an unconfirmed batch may be missing too); only those holding a confirmed one count.
                var confirmedSet = confirmed.ToHashSet();
                var missed = confirmed.Except(plainNumbers).ToList();
                // Counted from the first number it got: before that its interest was still on its way to the publisher's node.
                var first = plainNumbers.Min();
                var runs = Enumerable.Range(first, published - first).Except(plainNumbers).Select((n, i) => (n, i)).GroupBy(x => x.n - x.i)
                    .Where(g => g.Any(x => confirmedSet.Contains(x.n)))
                    .Select(g => (From: g.First().n, Count: g.Count())).ToList();
                Assert.True(runs.Count <= plainRestarts.Count, $"the plain subscriber has {runs.Count} gaps but lost its server {plainRestarts.Count} times: {string.Join(", ", runs)}");
                // Each gap belongs to a different loss of its server, and begins after that server was told to go.
                var causes = runs.Select(r => plainRestarts.LastOrDefault(mark => mark <= r.From, -1)).ToList();
                Assert.True(causes.All(c => c >= 0) && causes.Distinct().Count() == causes.Count,
                    $"gaps {string.Join(", ", runs)} do not each follow a loss of the subscriber's server (at {string.Join(", ", plainRestarts)})");
                output.WriteLine($"published {published}, confirmed {confirmed.Count}, queue received {queued.Count} (lost 0, twice 0), plain subscriber missed {missed.Count} in {runs.Count} gaps ({string.Join(", ", runs)}) over {plainRestarts.Count} restarts of its server");
                foreach (var sub in subs) await sub.DisposeAsync();
            }
            finally
            {
                foreach (var member in members) await member.DisposeAsync();
            }
        }
        finally
        {
            output.WriteLine(cluster.Describe());
        }
    }
}
