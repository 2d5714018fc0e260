using Broker.Tests.Infrastructure;

namespace Broker.Tests.Wire;

public class PingTests
{
    [Fact]
    public async Task Server_pings_and_closes_a_client_that_never_answers_as_stale()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { PingInterval = TimeSpan.FromMilliseconds(200), PingMax = 2 });
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync("CONNECT {\"verbose\":false}\r\n");

        Assert.Equal("PING\r\nPING\r\n-ERR 'Stale Connection'\r\n", await client.ReadToCloseAsync());
    }

    [Fact]
    public async Task A_client_that_answers_pings_stays_connected()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { PingInterval = TimeSpan.FromMilliseconds(250), PingMax = 8 });
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync("CONNECT {\"verbose\":false}\r\n");

        // Ten rounds would be past ping_max if the answers were not counted; ping_max x interval (2s)
        // is the stall a loaded CI machine may impose on this client without failing the test.
        for (var i = 0; i < 10; i++)
        {
            await client.ReadUntilAsync("PING\r\n");
            await client.SendAsync("PONG\r\n");
        }
        await client.SendAsync("PING\r\n");
        var tail = await client.ReadUntilAsync("PONG\r\n");
        Assert.DoesNotContain("-ERR", tail);
    }
}
