using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Broker.Tests.SlowConsumers;

/// <summary>
/// Issue 13's scenario, run the same against Broker and nats-server: max_pending 1 MB,
/// write_deadline 1 s, 20,000 x 1 KB messages from a raw publisher that writes as fast as the
/// socket takes them, to three subscribers: one that reads fast, one that reads slowly (small
/// reads with a 1 ms await after each, well under the publisher's rate) and one that never reads.
/// </summary>
public static class DrainingReaderScenario
{
    public const int Count = 20_000;
    public const long MaxPending = 1024 * 1024;
    public static readonly TimeSpan WriteDeadline = TimeSpan.FromSeconds(1);
    public const string NatsServerConfig = "max_pending: 1MB\nwrite_deadline: \"1s\"\n";

    public sealed record Outcome(FrameCountingReader Fast, FrameCountingReader Draining, FrameCountingReader Stuck, TimeSpan PublishedIn, TimeSpan DrainedIn);

    public static Task<Outcome> RunAsync(int port) => RunAsync(port, port, () => Task.CompletedTask);

    /// <summary>
    /// The subscribers on <paramref name="subscriberPort"/>, the publisher on <paramref name="publisherPort"/>
    /// (another node or region), once <paramref name="interestArrived"/> says their interest reached it.
    /// </summary>
    public static async Task<Outcome> RunAsync(int subscriberPort, int publisherPort, Func<Task> interestArrived)
    {
        var stuck = await FrameCountingReader.SubscribeAsync(subscriberPort, "load", receiveBuffer: 4096);
        var draining = await FrameCountingReader.SubscribeAsync(subscriberPort, "load", receiveBuffer: 64 * 1024);
        var fast = await FrameCountingReader.SubscribeAsync(subscriberPort, "load", receiveBuffer: 1024 * 1024);
        await interestArrived();

        using var publisher = new TcpClient();
        await publisher.ConnectAsync("127.0.0.1", publisherPort);
        var stream = publisher.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("CONNECT {\"verbose\":false}\r\nPING\r\n"));
        await Infrastructure.StreamReads.ReadUntilPongAsync(stream);

        var frame = Encoding.ASCII.GetBytes("PUB load 1024\r\n" + new string('x', 1024) + "\r\n");
        const int perWrite = 50; // divides Count
        var chunk = new byte[frame.Length * perWrite];
        for (var i = 0; i < perWrite; i++) frame.CopyTo(chunk, i * frame.Length);

        var clock = Stopwatch.StartNew();
        var timeout = TimeSpan.FromSeconds(60);
        var fastRead = fast.ReadAsync(Count, 256 * 1024, paced: false, clock, timeout);
        var drainingRead = draining.ReadAsync(Count, 32 * 1024, paced: true, clock, timeout);
        for (var sent = 0; sent < Count; sent += perWrite) await stream.WriteAsync(chunk);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("PING\r\n"));
        await Infrastructure.StreamReads.ReadUntilPongAsync(stream);
        var publishedIn = clock.Elapsed;

        await Task.WhenAll(fastRead, drainingRead);
        var drainedIn = clock.Elapsed;
        // The stuck one never read during the run; now it drains what the kernel holds and must find the connection closed.
        await stuck.ReadAsync(Count, 64 * 1024, paced: false, clock, TimeSpan.FromSeconds(15));
        return new Outcome(fast, draining, stuck, publishedIn, drainedIn);
    }
}
