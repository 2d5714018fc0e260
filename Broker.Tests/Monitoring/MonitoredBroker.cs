using Broker.Configuration;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Monitoring;

/// <summary>A test broker with its monitoring port on an ephemeral loopback port, and an HTTP client for it.</summary>
public sealed class MonitoredBroker : IAsyncDisposable
{
    private MonitoredBroker(TestBroker broker)
    {
        Broker = broker;
        Http = new MonitorClient(broker.Server.MonitorEndpoint!);
    }

    public TestBroker Broker { get; }
    public MonitorClient Http { get; }

    /// <summary>
    /// The system account's own subscriptions (its request subjects), in every subscription count
    /// as nats-server counts its internal ones; 0 with <c>NoSystemAccount</c>.
    /// </summary>
    public long InternalSubscriptions => Broker.Server.Context.Accounts.System?.Index.SubscriptionCount ?? 0;
    public int Port => Broker.Port;
    public string Url => Broker.Url;

    public static async Task<MonitoredBroker> StartAsync(Func<BrokerOptions, BrokerOptions>? configure = null) =>
        new(await TestBroker.StartAsync(o => (configure?.Invoke(o) ?? o) with { HttpPort = 0 }));

    /// <summary>A raw client that has sent CONNECT (with a name) and had its PING answered.</summary>
    public async Task<RawClient> ConnectRawAsync(string name, string then = "")
    {
        var client = await RawClient.ConnectAsync(Port);
        await client.SendAsync($"CONNECT {{\"verbose\":false,\"pedantic\":false,\"name\":\"{name}\",\"lang\":\"raw\",\"version\":\"1.0\"}}\r\n{then}PING\r\n");
        await client.ReadUntilAsync("PONG\r\n");
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Broker.DisposeAsync();
    }
}
