using System.Net.Sockets;
using System.Text;
using Broker.Clients;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Wire;

public class SlowConsumerWireTests
{
    [Fact]
    public async Task A_write_slower_than_write_deadline_closes_the_client_as_a_slow_consumer()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { MaxPending = 512L * 1024 * 1024, WriteDeadline = TimeSpan.FromMilliseconds(300) });
        using var slow = new TcpClient { ReceiveBufferSize = 4096 };
        await slow.ConnectAsync("127.0.0.1", broker.Port);
        await slow.GetStream().WriteAsync(Encoding.ASCII.GetBytes("CONNECT {\"verbose\":false}\r\nSUB big 1\r\nPING\r\n"));
        await StreamReads.ReadUntilPongAsync(slow.GetStream());
        var slowConnection = Assert.Single(broker.Server.Context.Connections.Values);

        await using var publisher = await RawClient.ConnectAsync(broker.Port);
        await publisher.SendAsync("CONNECT {\"verbose\":false}\r\nPING\r\n");
        await publisher.ReadUntilAsync("PONG\r\n");
        var frame = Encoding.ASCII.GetBytes("PUB big 65536\r\n" + new string('x', 65536) + "\r\n");
        // Far more than the socket buffers hold, so the server's writes to the non-reader stall.
        for (var i = 0; i < 400 && !slowConnection.IsClosed; i++) await publisher.SendAsync(frame);

        await slowConnection.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(CloseReason.SlowConsumerWriteDeadline, slowConnection.ClosedBy);
        Assert.Equal(1, broker.Server.Context.Stats.SlowConsumers);
        Assert.Contains(broker.Log.Lines, line => line.Contains("Slow Consumer Detected: WriteDeadline", StringComparison.Ordinal));

        // The publisher was never held up by it.
        await publisher.SendAsync("PING\r\n");
        Assert.EndsWith("PONG\r\n", await publisher.ReadUntilAsync("PONG\r\n"));
    }
}
