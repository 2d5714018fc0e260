using System.Diagnostics;
using Broker.Tests.Differential;
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

    [Fact]
    public async Task The_first_ping_comes_within_about_two_seconds_even_with_the_default_interval()
    {
        await using var broker = await TestBroker.StartAsync();
        Assert.Equal(TimeSpan.FromMinutes(2), broker.Server.Context.Options.PingInterval);
        await AssertFirstPingSoonAsync(broker.Port);
    }

    [NatsServerFact]
    public async Task Nats_server_sends_its_first_ping_as_soon()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await AssertFirstPingSoonAsync(nats.Port);
    }

    private static async Task AssertFirstPingSoonAsync(int port)
    {
        await using var client = await RawClient.ConnectAsync(port);
        await client.SendAsync("CONNECT {\"verbose\":false}\r\n");
        var clock = Stopwatch.StartNew();
        // 2 s plus up to a fifth: 2.4 s at most, with room for a loaded machine.
        Assert.EndsWith("PING\r\n", await client.ReadUntilAsync("PING\r\n", TimeSpan.FromSeconds(10)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
    }
}
