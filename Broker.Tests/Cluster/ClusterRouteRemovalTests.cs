using System.Runtime.InteropServices;
using Broker.Tests.Host;
using NATS.Client.Core;

namespace Broker.Tests.Cluster;

/// <summary>
/// SIGHUP removing a peer from <c>cluster.routes</c> on real Broker.Host processes: as nats-server
/// closes a removed route's connection, the two nodes stop exchanging interest and messages,
/// though Akka keeps both members. A peer that still routes to the node comes back, as a nats
/// route the other side solicits does; one that does not stays apart until the route is added again.
/// </summary>
public class ClusterRouteRemovalTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private static string Config(ClusterBlock block, int listen, IEnumerable<int> routes) =>
        "host: 127.0.0.1\nport: -1\nlogtime: false\n" +
        $"cluster {{\n  name: {block.Name}\n  listen: \"127.0.0.1:{block.RoutePorts[listen]}\"\n" +
        $"  routes: [ {string.Join(", ", routes.Select(i => $"\"{block.RouteUrl(i)}\""))} ]\n}}\n";

    [Fact]
    public async Task A_removed_route_stops_interest_and_messages_both_ways_until_it_is_added_again()
    {
        var block = ClusterBlock.Plan(2);
        // B names no route to A: only A's route joins them. B starts first and forms the cluster alone;
        // B's port sorts first, so A (not the first seed) can only join it, never form one of its own
        // when B is slow to answer on a loaded machine.
        var fileA = SignalTests.TempConfig(Config(block, 1, [1, 0]));
        var fileB = SignalTests.TempConfig(Config(block, 0, [0]));
        try
        {
            await using var b = HostProcess.Start("-c", fileB);
            var portB = await b.ListeningPort;
            await b.Ready;
            await using var a = HostProcess.Start("-c", fileA);
            var portA = await a.ListeningPort;
            await a.Ready;

            await using var onA = await ScenarioConnection.ConnectAsync("A", $"nats://127.0.0.1:{portA}");
            await using var onB = await ScenarioConnection.ConnectAsync("B", $"nats://127.0.0.1:{portB}");
            await using var serviceOnB = await Responder.StartAsync(onB, "svc.b", null, "B:");
            await using var serviceOnA = await Responder.StartAsync(onA, "svc.a", null, "A:");
            Assert.Equal("B:1", await RequestUntilAnsweredAsync(onA, "svc.b"));
            Assert.Equal("A:1", await RequestUntilAnsweredAsync(onB, "svc.a"));

            var before = (a.Output.Count, b.Output.Count);
            File.WriteAllText(fileA, Config(block, 1, [1]));
            Assert.Equal(0, kill(a.Process.Id, 1));
            await a.WaitForLineAsync("route removed by a configuration reload", before.Item1);
            await b.WaitForLineAsync("removed its route to this node", before.Item2);

            // Neither node holds the other's interest any more: requests find no responders at once, both ways.
            Assert.Equal("no responders", await RequestOnceAsync(onA, "svc.b"));
            Assert.Equal("no responders", await RequestOnceAsync(onB, "svc.a"));
            // A subscription made now stays on its own node too.
            await using var lateOnB = await Responder.StartAsync(onB, "svc.late", null, "late:");
            await onB.Connection.PingAsync();
            Assert.Equal("no responders", await RequestOnceAsync(onA, "svc.late"));

            before = (a.Output.Count, b.Output.Count);
            File.WriteAllText(fileA, Config(block, 1, [1, 0]));
            Assert.Equal(0, kill(a.Process.Id, 1));
            await a.WaitForLineAsync("Reloaded server configuration", before.Item1);
            Assert.Equal("late:1", await RequestUntilAnsweredAsync(onA, "svc.late"));
            Assert.Equal("A:1", await RequestUntilAnsweredAsync(onB, "svc.a"));
        }
        finally
        {
            File.Delete(fileA);
            File.Delete(fileB);
        }
    }

    [Fact]
    public async Task A_removed_route_the_peer_still_names_comes_back()
    {
        var block = ClusterBlock.Plan(2);
        var fileA = SignalTests.TempConfig(Config(block, 0, [0, 1]));
        var fileB = SignalTests.TempConfig(Config(block, 1, [0, 1]));
        try
        {
            await using var a = HostProcess.Start("-c", fileA);
            await using var b = HostProcess.Start("-c", fileB);
            var portA = await a.ListeningPort;
            var portB = await b.ListeningPort;
            await Task.WhenAll(a.Ready, b.Ready);
            await using var onA = await ScenarioConnection.ConnectAsync("A", $"nats://127.0.0.1:{portA}");
            await using var onB = await ScenarioConnection.ConnectAsync("B", $"nats://127.0.0.1:{portB}");
            await using var serviceOnB = await Responder.StartAsync(onB, "svc.b", null, "B:");
            Assert.Equal("B:1", await RequestUntilAnsweredAsync(onA, "svc.b"));

            var before = (a.Output.Count, b.Output.Count);
            File.WriteAllText(fileA, Config(block, 0, [0]));
            Assert.Equal(0, kill(a.Process.Id, 1));
            await a.WaitForLineAsync("route removed by a configuration reload", before.Item1);
            await b.WaitForLineAsync("removed its route to this node", before.Item2);
            // B solicits A again: the route is back, as an implicit one.
            await a.WaitForLineAsync("connected (clients at", before.Item1);
            Assert.Equal("B:1", await RequestUntilAnsweredAsync(onA, "svc.b"));
        }
        finally
        {
            File.Delete(fileA);
            File.Delete(fileB);
        }
    }

    private static async Task<string> RequestOnceAsync(ScenarioConnection from, string subject)
    {
        try
        {
            var reply = await from.Connection.RequestAsync<string, string>(subject, "1", replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromSeconds(2) });
            return $"answered {reply.Data}";
        }
        catch (NatsNoRespondersException)
        {
            return "no responders";
        }
        catch (NatsNoReplyException)
        {
            return "no reply";
        }
    }

    /// <summary>Requests until answered (the interest reached the requester's node), 30 s at most.</summary>
    private static async Task<string> RequestUntilAnsweredAsync(ScenarioConnection from, string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            last = await RequestOnceAsync(from, subject);
            if (last.StartsWith("answered ", StringComparison.Ordinal)) return last["answered ".Length..];
            await Task.Delay(100);
        }
        return last;
    }
}
