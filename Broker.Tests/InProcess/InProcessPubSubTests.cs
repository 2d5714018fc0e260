using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using Broker.InProcess;
using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.InProcess;

/// <summary>Messages cross between NATS.Net clients and in-process connections in both directions.</summary>
public class InProcessPubSubTests
{
    [Fact]
    public async Task A_network_publisher_reaches_an_in_process_source_in_order_with_headers_and_wildcards()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount, "app");
        var materializer = broker.System.Materializer();
        var (subscribed, received) = app.Subscribe("orders.>").Take(50).ToMaterialized(Sink.Seq<BrokerMessage>(), Keep.Both).Run(materializer);
        await subscribed;

        await using var client = await NatsClients.ConnectAsync(broker.Url);
        for (var i = 0; i < 50; i++)
            await client.PublishAsync($"orders.{i % 3}", $"m{i}", headers: i == 0 ? new NatsHeaders { ["X-Order"] = "42" } : null, replyTo: i == 1 ? "answer.here" : null);

        var messages = await received.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"m{i}"), messages.Select(m => m.PayloadText));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"orders.{i % 3}"), messages.Select(m => m.Subject));
        Assert.Equal("42", messages[0].Headers.First("X-Order"));
        Assert.False(messages[2].HasHeaders);
        Assert.Equal("answer.here", messages[1].ReplyTo);
    }

    [Fact]
    public async Task An_in_process_publisher_reaches_a_network_subscriber_with_headers_and_reply()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await client.SubscribeCoreAsync<string>("events.*");
        await client.PingAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);

        for (var i = 0; i < 20; i++)
            await app.PublishAsync("events.a", Encoding.UTF8.GetBytes($"e{i}"), replyTo: i == 0 ? "back" : null, headers: i == 0 ? MessageHeaders.Of(("K", "v1"), ("K", "v2")) : null);

        var got = await NatsClients.ReadAsync(sub, 20);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"e{i}"), got.Select(m => m.Data));
        Assert.Equal("back", got[0].ReplyTo);
        Assert.Equal("v1,v2", got[0].Headers!["K"].ToString());
    }

    [Fact]
    public async Task In_process_publisher_and_subscriber_meet_without_the_network()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var (subscribed, received) = app.Subscribe("local").Take(1000).Select(m => int.Parse(m.PayloadText)).ToMaterialized(Sink.Seq<int>(), Keep.Both).Run(broker.System.Materializer());
        await subscribed;

        for (var i = 0; i < 1000; i++) app.Publish("local", Encoding.ASCII.GetBytes(i.ToString()));

        Assert.Equal(Enumerable.Range(0, 1000), await received.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task A_queue_group_spanning_network_and_in_process_members_gets_each_message_once()
    {
        const int count = 400;
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        await using var client = await NatsClients.ConnectAsync(broker.Url);
        await using var member = await client.SubscribeCoreAsync<string>("work", queueGroup: "workers");
        await client.PingAsync();
        var inProcess = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var (subscribed, _) = app.Subscribe("work", queue: "workers").ToMaterialized(Sink.ForEach<BrokerMessage>(m => inProcess.Enqueue(m.PayloadText)), Keep.Both).Run(broker.System.Materializer());
        await subscribed;

        await using var publisher = await NatsClients.ConnectAsync(broker.Url);
        for (var i = 0; i < count; i++) await publisher.PublishAsync("work", $"w{i}");
        await publisher.PingAsync();

        var network = new List<string>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (network.Count + inProcess.Count < count)
        {
            if (member.Msgs.TryRead(out var msg)) network.Add(msg.Data!);
            else await Task.WhenAny(member.Msgs.WaitToReadAsync(cancel.Token).AsTask(), Task.Delay(10, cancel.Token));
        }
        var all = network.Concat(inProcess).ToList();
        Assert.Equal(count, all.Count);
        Assert.Equal(count, all.Distinct().Count());
        Assert.NotEmpty(network);
        Assert.NotEmpty(inProcess);
    }

    [Fact]
    public async Task A_source_with_max_messages_completes_after_that_many_and_unsubscribes()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var (subscribed, received) = app.Subscribe("limited", maxMessages: 3).ToMaterialized(Sink.Seq<BrokerMessage>(), Keep.Both).Run(broker.System.Materializer());
        await subscribed;

        for (var i = 0; i < 10; i++) app.Publish("limited", Encoding.ASCII.GetBytes(i.ToString()));

        var messages = await received.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["0", "1", "2"], messages.Select(m => m.PayloadText));
        await Eventually.Async(() => app.SubscriptionCount == 0, "the subscription leaves after its max");
    }

    [Fact]
    public async Task A_sink_publishes_every_element()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await client.SubscribeCoreAsync<string>("sunk");
        await client.PingAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);

        await Source.From(Enumerable.Range(0, 100)).Select(i => OutgoingMessage.Text("sunk", $"s{i}")).RunWith(app.PublishSink(), broker.System.Materializer());

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"s{i}"), (await NatsClients.ReadAsync(sub, 100)).Select(m => m.Data));
    }

    [Fact]
    public async Task Cancelling_the_stream_unsubscribes()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var (subscribed, first) = app.Subscribe("once").ToMaterialized(Sink.First<BrokerMessage>(), Keep.Both).Run(broker.System.Materializer());
        await subscribed;
        Assert.Equal(1, app.SubscriptionCount);

        app.Publish("once", "x"u8);

        Assert.Equal("x", (await first.WaitAsync(TimeSpan.FromSeconds(20))).PayloadText);
        await Eventually.Async(() => app.SubscriptionCount == 0, "Sink.First cancels the source, which unsubscribes");
    }

    [Fact]
    public async Task Bad_subjects_and_oversized_payloads_are_refused_with_nats_server_errors()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { MaxPayload = 16 });
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);

        Assert.Equal("Invalid Publish Subject", Assert.Throws<InvalidOperationForBrokerException>(() => app.Publish("a.*", "x"u8)).Message);
        Assert.Equal("Maximum Payload Violation", Assert.Throws<InvalidOperationForBrokerException>(() => app.Publish("a", new byte[17])).Message);
        var failed = app.Subscribe("bad..subject").RunWith(Sink.Ignore<BrokerMessage>(), broker.System.Materializer());
        Assert.Equal("Invalid Subject", (await Assert.ThrowsAsync<InvalidOperationForBrokerException>(() => failed)).Message);
    }
}
