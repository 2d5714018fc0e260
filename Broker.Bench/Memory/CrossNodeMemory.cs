using Broker.Bench.Drivers;

namespace Broker.Bench.Memory;

/// <summary>
/// One node of a 2-node cluster (<c>cluster-node</c>) or of a 2-region supercluster, one node a
/// region (<c>region-node</c>), every node its own process started from the same configuration
/// files for both servers: each node's resident memory idle (formed, nothing connected), under a
/// cross-node stream (publisher on node 0, a reading subscriber on node 1) and after it.
/// </summary>
internal sealed class CrossNodeMemory(bool regions, int messages, int payloadSize) : MemoryScenario, IMultiNodeScenario
{
    /// <summary>How far the publisher runs ahead of the subscriber, in messages: enough to keep the link busy, bounded so no server holds a whole burst.</summary>
    private const int Window = 2_000;

    public override string Name => regions ? "region-node" : "cluster-node";

    public override string Description => (regions ? "2 regions of 1 node joined by gateways" : "2-node cluster")
        + $", {messages:N0} x {payloadSize} B from node 0 to a subscriber on node 1";

    public int Size => 2;
    public int Regions => regions ? 2 : 1;

    public override Task RunAsync(MemoryProbe probe) => throw new NotSupportedException("a cross-node scenario runs on every node's probe");

    public async Task RunAsync(IReadOnlyList<MemoryProbe> nodes)
    {
        await ReadAllSettledAsync(nodes, "idle");
        var progress = new ProgressSignal();
        using (var subscriber = new RawSubscriber(nodes[1].Endpoint, "cross.memory", null, progress))
        using (var publisher = RawConnection.Open(nodes[0].Endpoint))
        {
            await AwaitInterestAsync(publisher, subscriber, progress);
            var baseline = subscriber.Received;
            var frame = Frame("cross.memory", payloadSize);
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            for (var sent = 1; sent <= messages; sent++)
            {
                publisher.Send(frame);
                if (sent % Window != 0) continue;
                // Keeps the publisher within a window of the subscriber, as a flow-controlled client would.
                var target = sent - Window;
                if (!progress.WaitUntil(() => subscriber.Received - baseline >= target, deadline))
                    throw new TimeoutException($"node 1's subscriber had {subscriber.Received - baseline} of {target} messages after 2 minutes");
                if (sent == messages / 2) ReadAll(nodes, "loaded");
            }
            if (!progress.WaitUntil(() => subscriber.Received - baseline >= messages, deadline))
                throw new TimeoutException($"node 1's subscriber had {subscriber.Received - baseline} of {messages} messages after 2 minutes");
            ReadAll(nodes, "end of load");
        }
        await Task.Delay(SettleTime);
        ReadAll(nodes, "after");
    }

    /// <summary>Probes until one message published on node 0 has reached node 1's subscriber (interest crossed the link).</summary>
    private static async Task AwaitInterestAsync(RawConnection publisher, RawSubscriber subscriber, ProgressSignal progress)
    {
        var probe = Frame("cross.memory", 1);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (subscriber.Received == 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("interest of node 1's subscriber did not reach node 0 within 30 s");
            publisher.Send(probe);
            var wait = DateTime.UtcNow + TimeSpan.FromMilliseconds(25);
            await Task.Run(() => progress.WaitUntil(() => subscriber.Received > 0, wait));
        }
    }

    private static byte[] Frame(string subject, int size)
    {
        var header = System.Text.Encoding.ASCII.GetBytes($"PUB {subject} {size}\r\n");
        var frame = new byte[header.Length + size + 2];
        header.CopyTo(frame, 0);
        frame[^2] = (byte)'\r';
        frame[^1] = (byte)'\n';
        return frame;
    }

    private static void ReadAll(IReadOnlyList<MemoryProbe> nodes, string moment)
    {
        for (var i = 0; i < nodes.Count; i++) nodes[i].Read($"{moment} n{i}");
    }

    private static async Task ReadAllSettledAsync(IReadOnlyList<MemoryProbe> nodes, string moment)
    {
        for (var i = 0; i < nodes.Count; i++) await nodes[i].ReadSettledAsync($"{moment} n{i}", TimeSpan.FromSeconds(5));
    }
}
