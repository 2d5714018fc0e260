using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.Cluster;
using Broker.Cluster;
using Broker.Tests.Infrastructure;
using Broker.Tests.SlowConsumers;
using Xunit.Abstractions;

namespace Broker.Tests.Cluster;

/// <summary>
/// A raw publisher writing as fast as the socket takes on one node, subscribers on the other: one
/// that reads flat out and one that drains slowly but steadily. Every message is counted on both.
/// Issue 22's lost firehose run: under heavy machine load Akka's failure detector missed the
/// nodes' heartbeats (they waited behind the stream) and called each node unreachable, and each
/// forgot the other's interest and closed its data connection mid-stream, losing half a million
/// messages with no slow consumer cut. The detector's verdict is played here into both nodes'
/// cluster actors while the stream is on its way.
/// </summary>
public class CrossNodeFirehoseTests(ITestOutputHelper output)
{
    private const int Half = 15_000;
    private const int PayloadSize = 1024;

    [Fact]
    public async Task A_node_the_failure_detector_calls_unreachable_while_its_data_connection_streams_loses_nothing()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        using var fast = await FrameCountingReader.SubscribeAsync(cluster[1].Server.ClientEndpoint.Port, "hose", receiveBuffer: 1024 * 1024);
        using var draining = await FrameCountingReader.SubscribeAsync(cluster[1].Server.ClientEndpoint.Port, "hose", receiveBuffer: 64 * 1024);
        await cluster[0].WaitRemoteInterestAsync("hose");

        using var publisher = new TcpClient();
        await publisher.ConnectAsync("127.0.0.1", cluster[0].Server.ClientEndpoint.Port);
        var stream = publisher.GetStream();
        await stream.WriteAsync("CONNECT {\"verbose\":false}\r\nPING\r\n"u8.ToArray());
        await StreamReads.ReadUntilPongAsync(stream);
        var chunk = Chunk(50);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var timeout = TimeSpan.FromSeconds(30);
        var reads = Task.WhenAll(
            fast.ReadAsync(2 * Half, 256 * 1024, paced: false, clock, timeout),
            draining.ReadAsync(2 * Half, 32 * 1024, paced: true, clock, timeout));
        for (var sent = 0; sent < Half; sent += 50) await stream.WriteAsync(chunk);

        // The first half is on its way (the draining reader cannot have it all yet): both detectors give up on the other node.
        var deliveredBefore = draining.Messages;
        await TellEachOtherAsync(cluster, (member) => new ClusterEvent.UnreachableMember(member));
        await Task.WhenAll(cluster.Nodes.Select(n => Log(n).WaitForAsync(l => l.Contains("unreachable for the failure detector"))));
        for (var sent = 0; sent < Half; sent += 50) await stream.WriteAsync(chunk);
        await TellEachOtherAsync(cluster, (member) => new ClusterEvent.ReachableMember(member));
        await stream.WriteAsync("PING\r\n"u8.ToArray());
        await StreamReads.ReadUntilPongAsync(stream);

        await reads;
        output.WriteLine($"draining reader had {deliveredBefore} when the nodes were called unreachable; fast {fast.Messages}, draining {draining.Messages}, in {clock.ElapsedMilliseconds} ms");
        Assert.True(deliveredBefore < Half, "the stream must still be on its way when the detector speaks");
        Assert.Equal(2 * Half, fast.Messages);
        Assert.Equal(2 * Half, draining.Messages);
        Assert.Null(draining.Error);
        Assert.False(draining.Closed);
        Assert.Equal(0, cluster[1].Server.Context.Stats.SlowConsumers);
        // Still one cluster: the data connections were never dropped, so the nodes never forgot each other.
        Assert.All(cluster.Nodes, n => Assert.DoesNotContain(Log(n).Lines, l => l.Contains("its interest is dropped")));
    }

    private static byte[] Chunk(int frames)
    {
        var frame = Encoding.ASCII.GetBytes($"PUB hose {PayloadSize}\r\n{new string('x', PayloadSize)}\r\n");
        var chunk = new byte[frame.Length * frames];
        for (var i = 0; i < frames; i++) frame.CopyTo(chunk, i * frame.Length);
        return chunk;
    }

    /// <summary>Tells each node's cluster actor the event about the other node, as Akka's cluster would.</summary>
    private static async Task TellEachOtherAsync(TestCluster cluster, Func<Member, ClusterEvent.IReachabilityEvent> @event)
    {
        foreach (var node in cluster.Nodes)
        {
            var other = cluster.Nodes.Single(n => n != node);
            var address = Akka.Cluster.Cluster.Get(other.System).SelfAddress;
            var member = Akka.Cluster.Cluster.Get(node.System).State.Members.Single(m => m.Address == address);
            var actor = await node.System.ActorSelection("/user/" + ClusterNodeActor.Name).ResolveOne(TimeSpan.FromSeconds(5));
            actor.Tell(@event(member));
        }
    }

    private static RecordingServerLog Log(TestCluster.Node node) => (RecordingServerLog)node.Server.Context.Log;
}
