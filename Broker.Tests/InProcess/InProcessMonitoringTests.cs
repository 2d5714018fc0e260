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
