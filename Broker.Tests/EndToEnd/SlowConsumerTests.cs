using System.Net.Sockets;
using System.Text;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.EndToEnd;

/// <summary>DESIGN.md semantic 6: a slow consumer is cut off without slowing anyone; a healthy subscriber loses nothing.</summary>
public class SlowConsumerTests
{
    [Fact]
    public async Task A_subscriber_that_stops_reading_is_cut_off_while_a_healthy_one_gets_everything()
    {
        const int count = 20_000;
        await using var broker = await TestBroker.StartAsync(o => o with { MaxPending = 4 * 1024 * 1024 });

        // The slow one: subscribes, then never reads again.
        using var slow = new TcpClient { ReceiveBufferSize = 4096 };
        await slow.ConnectAsync("127.0.0.1", broker.Port);
        var slowStream = slow.GetStream();
        await slowStream.WriteAsync(Encoding.ASCII.GetBytes("CONNECT {\"verbose\":false}\r\nSUB load 1\r\nPING\r\n"));
        await StreamReads.ReadUntilPongAsync(slowStream);

        await using var healthy = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await healthy.SubscribeCoreAsync<byte[]>("load");
        await healthy.PingAsync();
        await using var publisher = await NatsClients.ConnectAsync(broker.Url);

        // Published in batches that the healthy subscriber drains before the next, so on a loaded
        // machine it can never fall max_pending behind, while the slow one falls further each batch.
        var payload = new byte[1024];
        var got = new List<int>(count);
        for (var batch = 0; batch < count / 1000; batch++)
        {
            for (var i = batch * 1000; i < (batch + 1) * 1000; i++)
            {
                BitConverter.TryWriteBytes(payload, i);
                await publisher.PublishAsync("load", payload);
            }
            got.AddRange((await NatsClients.ReadAsync(sub, 1000, timeoutSeconds: 30)).Select(m => BitConverter.ToInt32(m.Data!)));
        }

        Assert.Equal(Enumerable.Range(0, count), got);
        Assert.True(broker.Server.Context.Stats.SlowConsumers >= 1, "the slow subscriber must be counted");
        Assert.Contains(broker.Log.Lines, line => line.Contains("Slow Consumer Detected", StringComparison.Ordinal));

        // Its connection was closed: reading now drains what was sent before the cut and then ends.
        var buffer = new byte[64 * 1024];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (await slowStream.ReadAsync(buffer, cts.Token) > 0) { }
        }
        catch (IOException)
        {
            // A reset is also a close.
        }
        // (Reaching here means the stream ended; a live connection would have hit the timeout instead.)
        Assert.Equal(3, broker.Server.Context.Stats.TotalConnections);
        Assert.Equal(2, broker.Server.Context.Connections.Count);
    }
}
