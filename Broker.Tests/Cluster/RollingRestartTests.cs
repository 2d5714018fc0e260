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

    /// <summary>Numbers in publish order; each batch of 10 is confirmed by a PING/PONG once the round trip succeeds.</summary>
    private sealed class ConfirmedPublisher
    {
        private readonly CancellationTokenSource _stop = new();
        private int _published;
        private int _confirmed;

        public ConfirmedPublisher(NatsConnection connection) => Running = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var batchEnd = Published + 10;
                for (var n = Published; n < batchEnd; n++)
                {
                    await connection.PublishAsync(Subject, n);
                    Interlocked.Increment(ref _published);
                }
                try
                {
                    await connection.PingAsync();
                    Volatile.Write(ref _confirmed, batchEnd);
                }
                catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException)
                {
                    // Not confirmed; a later round trip may confirm these with the rest.
                }
            }
        });

        public Task Running { get; }
        public int Published => Volatile.Read(ref _published);

        /// <summary>Every number below this one was confirmed by a round trip.</summary>
        public int Confirmed => Volatile.Read(ref _confirmed);

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
            await cluster.StartAsync(ClusterLaunch.ConfigFile, 0, 1, 2);
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
                    var confirmedAfterRestart = pub.Confirmed;
                    await Eventually.Async(() => pub.Confirmed > confirmedAfterRestart + 300, $"publishes to be confirmed after node {node} came back", 60);
                    output.WriteLine($"node {node} restarted; published {pub.Published}, confirmed {pub.Confirmed}");
                }
                await pub.StopAsync();
                var confirmed = pub.Confirmed;
                var published = pub.Published;
                await Eventually.Async(
                    () => memberQueues.Sum(q => q.Count) >= confirmed && plainQueue.Contains(confirmed - 1),
                    "every confirmed number to arrive", 60);

                var queued = memberQueues.SelectMany(q => q).ToList();
                var twice = queued.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
                Assert.True(twice.Count == 0, $"queue messages delivered twice: {string.Join(", ", twice.Take(20))}");
                var lost = Enumerable.Range(0, confirmed).Except(queued).ToList();
                Assert.True(lost.Count == 0, $"{lost.Count} confirmed messages reached no queue member: {string.Join(", ", lost.Take(20))}");

                var plainNumbers = plainQueue.ToList();
                Assert.Equal(plainNumbers.Count, plainNumbers.Distinct().Count());
                // One publisher, in-order delivery: each time the subscriber had no server shows as one run of missing numbers.
                var missed = Enumerable.Range(0, confirmed).Except(plainNumbers).ToList();
                var runs = missed.Select((n, i) => (n, i)).GroupBy(x => x.n - x.i).Select(g => (From: g.First().n, Count: g.Count())).ToList();
                Assert.True(runs.Count <= plainRestarts.Count, $"the plain subscriber has {runs.Count} gaps but lost its server {plainRestarts.Count} times: {string.Join(", ", runs)}");
                // Each gap belongs to a different loss of its server, and begins after that server was told to go.
                var causes = runs.Select(r => plainRestarts.LastOrDefault(mark => mark <= r.From, -1)).ToList();
                Assert.True(causes.All(c => c >= 0) && causes.Distinct().Count() == causes.Count,
                    $"gaps {string.Join(", ", runs)} do not each follow a loss of the subscriber's server (at {string.Join(", ", plainRestarts)})");
                output.WriteLine($"published {published}, confirmed {confirmed}, queue received {queued.Count} (lost 0, twice 0), plain subscriber missed {missed.Count} in {runs.Count} gaps ({string.Join(", ", runs)}) over {plainRestarts.Count} restarts of its server");
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
