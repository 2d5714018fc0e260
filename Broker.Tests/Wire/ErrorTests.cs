using Broker.Tests.Infrastructure;

namespace Broker.Tests.Wire;

/// <summary>Each error the broker sends, byte for byte as nats-server 2.9 sends it.</summary>
public class ErrorTests
{
    private const string Quiet = "CONNECT {\"verbose\":false}\r\n";

    [Theory]
    [InlineData("XYZ\r\n")]
    [InlineData(" PING\r\n")]
    [InlineData("\r\nPING\r\n")]
    [InlineData("UNSUB\r\n")]
    [InlineData("PUB foo 2\r\nabc\r\n")]
    [InlineData("pub foo 2\nhi\n")]
    public async Task Unknown_operation_gets_the_error_and_a_close(string input)
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync(input);

        Assert.Equal("-ERR 'Unknown Protocol Operation'\r\n", await client.ReadToCloseAsync());
    }

    [Theory]
    [InlineData("PUB foo\r\n")]
    [InlineData("PUB foo bar\r\n")]
    [InlineData("PUB foo -1\r\n")]
    [InlineData("SUB foo\r\n")]
    [InlineData("CONNECT {bad\r\n")]
    [InlineData("CONNECT {\"verbose\":\"yes\"}\r\n")]
    public async Task Malformed_arguments_close_without_an_error_as_nats_server_does(string input)
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync(input);

        Assert.Equal("", await client.ReadToCloseAsync());
    }

    [Fact]
    public async Task Payload_above_max_payload_is_refused_and_closed()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { MaxPayload = 1024 });
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync(Quiet + "PUB foo 1025\r\n");

        Assert.Equal("-ERR 'Maximum Payload Violation'\r\n", await client.ReadToCloseAsync());
    }

    [Fact]
    public async Task Control_line_above_the_limit_is_refused_even_before_its_line_end()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { MaxControlLine = 64 });
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync(Quiet + "PUB " + new string('a', 100));

        Assert.Equal("-ERR 'maximum control line exceeded'\r\n", await client.ReadToCloseAsync());
    }

    [Fact]
    public async Task Invalid_subject_is_refused_and_the_connection_stays()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync(Quiet + "SUB foo..bar 1\r\nSUB foo.>.bar 2\r\nSUB foo 3\r\nPUB foo 1\r\nx\r\nPING\r\n");

        Assert.Equal(
            "-ERR 'Invalid Subject'\r\n-ERR 'Invalid Subject'\r\nMSG foo 3 1\r\nx\r\nPONG\r\n",
            await client.ReadUntilAsync("PONG\r\n"));
    }

    [Fact]
    public async Task Pedantic_publish_to_a_wildcard_is_refused_and_the_connection_stays()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync("CONNECT {\"verbose\":false,\"pedantic\":true}\r\nSUB > 1\r\nPUB foo.* 1\r\nx\r\nPUB foo 1\r\ny\r\nPING\r\n");

        Assert.Equal("-ERR 'Invalid Publish Subject'\r\nMSG foo 1 1\r\ny\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
    }

    [Fact]
    public async Task Subscriptions_above_max_subscriptions_are_refused_and_the_connection_stays()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { MaxSubscriptions = 2 });
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync(Quiet + "SUB a 1\r\nSUB b 2\r\nSUB c 3\r\nPUB c 1\r\nx\r\nPUB b 1\r\ny\r\nPING\r\n");

        Assert.Equal("-ERR 'maximum subscriptions exceeded'\r\nMSG b 2 1\r\ny\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
    }

    [Fact]
    public async Task Connections_above_max_connections_get_info_then_the_error_then_a_close()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { MaxConnections = 2 });
        await using var first = await RawClient.ConnectAsync(broker.Port);
        await using var second = await RawClient.ConnectAsync(broker.Port);
        await using var third = await RawClient.ConnectAsync(broker.Port, readInfo: false);

        var got = await third.ReadToCloseAsync();
        Assert.StartsWith("INFO {", got);
        Assert.EndsWith("} \r\n-ERR 'maximum connections exceeded'\r\n", got);

        // The admitted ones are unaffected.
        await first.SendAsync("PING\r\n");
        Assert.Equal("PONG\r\n", await first.ReadUntilAsync("PONG\r\n"));
    }

    [Fact]
    public async Task Hpub_without_headers_in_connect_closes_the_connection()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync(Quiet + "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nab\r\n");

        Assert.Equal("", await client.ReadToCloseAsync());
    }
}
