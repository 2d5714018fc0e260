using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.EndToEnd;

public class ManyConnectionsTests
{
    [Fact]
    public async Task Two_hundred_concurrent_connections_each_get_the_broadcast_and_only_their_own_messages()
    {
        const int count = 200;
        await using var broker = await TestBroker.StartAsync();
        var connections = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => NatsClients.ConnectAsync(broker.Url)));
        var broadcasts = new INatsSub<string>[count];
        var owns = new INatsSub<string>[count];
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            broadcasts[i] = await connections[i].SubscribeCoreAsync<string>("all");
            owns[i] = await connections[i].SubscribeCoreAsync<string>($"own.{i}");
            await connections[i].PingAsync();
        }));
        Assert.Equal(count, broker.Server.Context.Connections.Count);

        await using var publisher = await NatsClients.ConnectAsync(broker.Url);
        await publisher.PublishAsync("all", "everyone");
        for (var i = 0; i < count; i++) await publisher.PublishAsync($"own.{i}", $"for-{i}");

        for (var i = 0; i < count; i++)
        {
            Assert.Equal("everyone", Assert.Single(await NatsClients.ReadAsync(broadcasts[i], 1)).Data);
            Assert.Equal($"for-{i}", Assert.Single(await NatsClients.ReadAsync(owns[i], 1)).Data);
        }
        await Task.WhenAll(connections.Select(c => c.PingAsync().AsTask()));
        Assert.All(owns, s => Assert.False(s.Msgs.TryRead(out _)));

        await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
    }
}
