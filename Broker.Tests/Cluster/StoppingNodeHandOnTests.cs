using System.Collections.Concurrent;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Cluster;

/// <summary>
/// A node stops while a peer streams queue messages to the group, one member on each node. The
/// messages the peer had already picked the stopping node's member for are still on their way
/// when that member's connection closes; the stopping node hands them on to the member that stays
/// before it stops (the Leaving/Drained exchange of ClusterNodeActor.Departure), so every publish
/// the client confirmed reaches the group. A rolling restart lost such messages.
/// </summary>
public class StoppingNodeHandOnTests
{
    private const string Subject = "handon.stop";

    [Fact]
    public async Task Queue_messages_on_their_way_to_a_stopping_nodes_member_reach_the_member_that_stays()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (staying, stopping) = (cluster[0], cluster[1]);
        await using var publisher = await NatsClients.ConnectAsync(staying.Url);
        await using var stays = await NatsClients.ConnectAsync(staying.Url);
        // No reconnect: what the member behind the stopping node got is exactly what it got before it went.
        await using var goes = await NatsClients.ConnectAsync(stopping.Url, o => o with { MaxReconnectRetry = 0 });
        // Interest the peer applies before the member's removal when the node stops (it goes in the
        // order it came): meanwhile the peer still picks the member there, and sends it messages.
        for (var i = 0; i < 20_000; i++) await goes.SubscribeCoreAsync<int>($"filler.{i}");
        await goes.PingAsync();
        var received = new ConcurrentQueue<int>();
        var readers = new List<Task>();
        foreach (var member in new[] { stays, goes })
        {
            var sub = await member.SubscribeCoreAsync<int>(Subject, queueGroup: "workers");
            await member.PingAsync();
            readers.Add(Task.Run(async () =>
            {
                await foreach (var msg in sub.Msgs.ReadAllAsync()) received.Enqueue(msg.Data);
            }));
        }
        await staying.WaitRemoteInterestAsync(Subject, "workers");

        var confirmed = new ConcurrentQueue<int>();
        using var stop = new CancellationTokenSource();
        var published = 0;
        var publishing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var first = published;
                for (var n = first; n < first + 50; n++) await publisher.PublishAsync(Subject, n);
                published += 50;
                // Confirmed once the server answered a PING sent after them: it has routed them all.
                await publisher.PingAsync();
                for (var n = first; n < first + 50; n++) confirmed.Enqueue(n);
            }
        });

        await Eventually.Async(() => received.Count > 2_000, "the stream to reach the group");
        await stopping.StopAsync();
        var atStop = confirmed.Count;
        await Eventually.Async(() => confirmed.Count > atStop + 2_000, "publishes confirmed after the node stopped");
        stop.Cancel();
        await publishing;

        List<int> Missing()
        {
            var got = received.ToHashSet();
            return confirmed.Where(n => !got.Contains(n)).Order().ToList();
        }
        try
        {
            await Eventually.Async(() => Missing().Count == 0, "every confirmed number to reach a member");
        }
        catch (TimeoutException)
        {
            var missing = Missing();
            Assert.Fail($"{missing.Count} of {confirmed.Count} confirmed publishes reached no member: {string.Join(", ", missing.Take(20))}");
        }
        var all = received.ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }
}
