using Broker.Tests.Infrastructure;

namespace Broker.Tests.Wire;

public class VerboseTests
{
    [Fact]
    public async Task Verbose_acknowledges_connect_sub_pub_and_unsub_but_not_ping()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync("CONNECT {\"verbose\":true}\r\nPING\r\nSUB a 1\r\nPUB a 1\r\nx\r\nUNSUB 1\r\nPING\r\n");

        var got = await client.ReadUntilAsync("PONG\r\n+OK\r\n+OK\r\nMSG a 1 1\r\nx\r\n+OK\r\nPONG\r\n");
        Assert.Equal("+OK\r\nPONG\r\n+OK\r\n+OK\r\nMSG a 1 1\r\nx\r\n+OK\r\nPONG\r\n", got);
    }

    [Fact]
    public async Task Without_connect_a_client_has_nats_server_defaults_verbose_and_pedantic()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync("SUB a 1\r\nPUB a.* 1\r\nx\r\nPING\r\n");

        Assert.Equal("+OK\r\n-ERR 'Invalid Publish Subject'\r\n+OK\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
    }

    [Fact]
    public async Task Operation_names_are_case_insensitive()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync("connect {\"verbose\":false,\"headers\":true}\r\nsub a 1\r\npub a 2\r\nhi\r\nHpUb a 12 12\r\nNATS/1.0\r\n\r\n\r\nuNsUb 1\r\nPUB a 0\r\n\r\nping\r\n");

        Assert.Equal("MSG a 1 2\r\nhi\r\nHMSG a 1 12 12\r\nNATS/1.0\r\n\r\n\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
    }
}
