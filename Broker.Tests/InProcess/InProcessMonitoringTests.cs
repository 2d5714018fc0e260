using System.Text.Json;
using Akka.Streams;
using Akka.Streams.Dsl;
using Broker.InProcess;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.InProcess;

public class InProcessMonitoringTests
{
    [Fact]
    public async Task Connz_lists_an_in_process_connection_as_its_own_kind_with_its_subscriptions_and_traffic()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { HttpPort = 0, HttpHost = "127.0.0.1" });
        var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount, "orders-service");
        var (subscribed, _) = app.Subscribe("orders.*").ToMaterialized(Sink.Ignore<BrokerMessage>(), Keep.Both).Run(broker.System.Materializer());
        await subscribed;
        app.Publish("orders.new", "x"u8);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{broker.Server.MonitorEndpoint!.Port}") };

        var connz = JsonDocument.Parse(await http.GetStringAsync("/connz?subs=1")).RootElement;
        var entry = Assert.Single(connz.GetProperty("connections").EnumerateArray());
        Assert.Equal("InProcess", entry.GetProperty("kind").GetString());
        Assert.Equal("orders-service", entry.GetProperty("name").GetString());
        Assert.Equal(app.Id, entry.GetProperty("cid").GetUInt64());
        Assert.Equal(["orders.*"], entry.GetProperty("subscriptions_list").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, entry.GetProperty("in_msgs").GetInt64());
        Assert.Equal(1, entry.GetProperty("out_msgs").GetInt64());
        Assert.False(entry.TryGetProperty("type", out _));

        await app.DisposeAsync();
        var closed = JsonDocument.Parse(await http.GetStringAsync("/connz?state=closed")).RootElement;
        var gone = Assert.Single(closed.GetProperty("connections").EnumerateArray());
        Assert.Equal("InProcess", gone.GetProperty("kind").GetString());
        Assert.Equal("Client Closed", gone.GetProperty("reason").GetString());
        Assert.Empty(JsonDocument.Parse(await http.GetStringAsync("/connz")).RootElement.GetProperty("connections").EnumerateArray());
    }

    [Fact]
    public async Task Varz_counts_in_process_connections_and_their_messages_as_clients()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { HttpPort = 0, HttpHost = "127.0.0.1" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{broker.Server.MonitorEndpoint!.Port}") };
        async Task<JsonElement> Varz() => JsonDocument.Parse(await http.GetStringAsync("/varz")).RootElement;
        var before = await Varz();
        var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount, "counted");
        var (subscribed, _) = app.Subscribe("counted.*").ToMaterialized(Sink.Ignore<BrokerMessage>(), Keep.Both).Run(broker.System.Materializer());
        await subscribed;
        app.Publish("counted.a", "12345"u8);
        app.Publish("counted.b", "67890"u8);

        var open = await Varz();
        Assert.Equal(before.GetProperty("connections").GetInt32() + 1, open.GetProperty("connections").GetInt32());
        Assert.Equal(before.GetProperty("total_connections").GetInt64() + 1, open.GetProperty("total_connections").GetInt64());
        Assert.Equal(2, open.GetProperty("in_msgs").GetInt64() - before.GetProperty("in_msgs").GetInt64());
        Assert.Equal(10, open.GetProperty("in_bytes").GetInt64() - before.GetProperty("in_bytes").GetInt64());
        Assert.Equal(2, open.GetProperty("out_msgs").GetInt64() - before.GetProperty("out_msgs").GetInt64());

        // Closed, it leaves the connection count but not the totals.
        await app.DisposeAsync();
        var closed = await Varz();
        Assert.Equal(before.GetProperty("connections").GetInt32(), closed.GetProperty("connections").GetInt32());
        Assert.Equal(2, closed.GetProperty("in_msgs").GetInt64() - before.GetProperty("in_msgs").GetInt64());
        Assert.Equal(2, closed.GetProperty("out_msgs").GetInt64() - before.GetProperty("out_msgs").GetInt64());
    }

    [Fact]
    public async Task The_brokers_shutdown_closes_in_process_connections_and_completes_their_streams()
    {
        var broker = await TestBroker.StartAsync();
        var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var (subscribed, done) = app.Subscribe("x").ToMaterialized(Sink.Ignore<BrokerMessage>(), Keep.Both).Run(broker.System.Materializer());
        await subscribed;

        await broker.Server.ShutdownAsync();

        await done.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(app.IsClosed);
        Assert.Throws<ConnectionClosedException>(() => app.Publish("x", "y"u8));
        await broker.DisposeAsync();
    }
}
