using Broker.Tests.Infrastructure;

namespace Broker.Tests.Protocol;

public class SmokeTests
{
    [Fact]
    public async Task Ping_gets_pong_and_pub_reaches_sub()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync("CONNECT {\"verbose\":false}\r\nSUB foo 1\r\nPUB foo 5\r\nhello\r\nPING\r\n");
        var got = await client.ReadUntilAsync("PONG\r\n");
        Assert.Equal("MSG foo 1 5\r\nhello\r\nPONG\r\n", got);
    }
}
