using Broker.Tests.Infrastructure;

namespace Broker.Tests.Wire;

/// <summary>DESIGN.md semantics 1 and 4 at the byte level.</summary>
public class OrderingTests
{
    [Fact]
    public async Task Pong_means_earlier_subscriptions_are_in_effect_for_other_publishers()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var subscriber = await RawClient.ConnectAsync(broker.Port);
        await using var publisher = await RawClient.ConnectAsync(broker.Port);
        var subs = string.Concat(Enumerable.Range(1, 200).Select(i => $"SUB s.{i} {i}\r\n"));
        await subscriber.SendAsync("CONNECT {\"verbose\":false}\r\n" + subs + "PING\r\n");
        await subscriber.ReadUntilAsync("PONG\r\n");

        await publisher.SendAsync("CONNECT {\"verbose\":false}\r\nPUB s.200 1\r\nx\r\nPUB s.1 1\r\ny\r\nPING\r\n");
        await publisher.ReadUntilAsync("PONG\r\n");

        Assert.Equal("MSG s.200 200 1\r\nx\r\nMSG s.1 1 1\r\ny\r\n", await subscriber.ReadUntilAsync("MSG s.1 1 1\r\ny\r\n"));
    }

    [Fact]
    public async Task Unsub_max_delivers_exactly_max_then_removes_the_subscription()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync("CONNECT {\"verbose\":false}\r\nSUB a 1\r\nUNSUB 1 2\r\nPUB a 1\r\nx\r\nPUB a 1\r\ny\r\nPUB a 1\r\nz\r\nPING\r\n");

        Assert.Equal("MSG a 1 1\r\nx\r\nMSG a 1 1\r\ny\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
    }

    [Fact]
    public async Task Unsub_max_below_what_was_delivered_removes_at_once()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync("CONNECT {\"verbose\":false}\r\nSUB a 1\r\nPUB a 1\r\nx\r\nPUB a 1\r\ny\r\nUNSUB 1 1\r\nPUB a 1\r\nz\r\nPING\r\n");

        Assert.Equal("MSG a 1 1\r\nx\r\nMSG a 1 1\r\ny\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
    }

    [Fact]
    public async Task Unsub_after_pong_means_no_more_messages_for_that_sid()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync("CONNECT {\"verbose\":false}\r\nSUB a 1\r\nSUB a 2\r\nUNSUB 1\r\nPUB a 1\r\nx\r\nPING\r\n");

        Assert.Equal("MSG a 2 1\r\nx\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
    }

    [Fact]
    public async Task No_responders_status_goes_to_the_requesters_reply_subscription()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync("CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\nSUB _INBOX.> 1\r\nPUB nobody _INBOX.a 1\r\nx\r\nPING\r\n");

        Assert.Equal("HMSG _INBOX.a 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
    }

    [Fact]
    public async Task Headers_and_reply_are_delivered_in_hmsg_form()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync("CONNECT {\"verbose\":false,\"headers\":true}\r\nSUB foo 1\r\nHPUB foo r 12 14\r\nNATS/1.0\r\n\r\nab\r\nPING\r\n");

        Assert.Equal("HMSG foo 1 r 12 14\r\nNATS/1.0\r\n\r\nab\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
    }

    [Fact]
    public async Task A_subscriber_without_headers_gets_the_payload_alone()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var subscriber = await RawClient.ConnectAsync(broker.Port);
        await using var publisher = await RawClient.ConnectAsync(broker.Port);
        await subscriber.SendAsync("CONNECT {\"verbose\":false}\r\nSUB foo 1\r\nPING\r\n");
        await subscriber.ReadUntilAsync("PONG\r\n");
        await publisher.SendAsync("CONNECT {\"verbose\":false,\"headers\":true}\r\nHPUB foo 12 14\r\nNATS/1.0\r\n\r\nab\r\nPING\r\n");
        await publisher.ReadUntilAsync("PONG\r\n");

        Assert.Equal("MSG foo 1 2\r\nab\r\n", await subscriber.ReadUntilAsync("ab\r\n"));
    }
}
