using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using static Broker.Tests.Gateways.TestSupercluster;

namespace Broker.Tests.Gateways;

public class GatewayPubSubTests
{
    [Fact]
    public async Task Messages_and_requests_cross_regions_and_replies_find_their_way_back()
    {
        await using var super = await TestSupercluster.StartAsync(2, "east", "west");
        var (a0, a1, b0, b1) = (super["east"][0], super["east"][1], super["west"][0], super["west"][1]);
        await using var onA0 = await NatsClients.ConnectAsync(a0.Url);
        await using var onA1 = await NatsClients.ConnectAsync(a1.Url);
        await using var onB1 = await NatsClients.ConnectAsync(b1.Url);
        await using var onB0 = await NatsClients.ConnectAsync(b0.Url);

        await using var orders = await onB1.SubscribeCoreAsync<string>("orders.>");
        await using var responder = await onB0.SubscribeCoreAsync<string>("lookup");
        foreach (var node in new[] { a0, a1 })
        {
            await WaitRegionInterestAsync(node, "orders.new");
            await WaitRegionInterestAsync(node, "lookup");
        }

        var headers = new NatsHeaders { ["X-Region"] = "east" };
        for (var i = 0; i < 50; i++) await onA0.PublishAsync("orders.new", $"m{i}", headers: i == 0 ? headers : null);
        await onA0.PingAsync();
        var got = await NatsClients.ReadAsync(orders, 50);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"m{i}"), got.Select(m => m.Data));
        Assert.Equal("east", got[0].Headers?["X-Region"].ToString());

        string? replySubject = null;
        var serve = Task.Run(async () =>
        {
            await foreach (var msg in responder.Msgs.ReadAllAsync())
            {
                replySubject = msg.ReplyTo;
                await msg.ReplyAsync($"found {msg.Data}");
            }
        });
        // From both nodes of east: each one's reply comes back to it, whichever west node its link reaches.
        Assert.Equal("found 1", (await onA0.RequestAsync<string, string>("lookup", "1")).Data);
        Assert.Equal("found 2", (await onA1.RequestAsync<string, string>("lookup", "2")).Data);
        Assert.StartsWith("_GR_.", replySubject);
        await responder.UnsubscribeAsync();
        await serve;
    }

    [Fact]
    public async Task Only_subjects_another_region_wants_cross_to_it()
    {
        await using var super = await TestSupercluster.StartAsync(2, "east", "west");
        var (a0, b1) = (super["east"][0], super["west"][1]);
        await using var onA0 = await NatsClients.ConnectAsync(a0.Url);
        await using var onB1 = await NatsClients.ConnectAsync(b1.Url);
        await using var wanted = await onB1.SubscribeCoreAsync<int>("wanted");
        await WaitRegionInterestAsync(a0, "wanted");
        var before = SentToRegions(a0);

        for (var i = 0; i < 200; i++) await onA0.PublishAsync("nobody.wants.this", i);
        for (var i = 0; i < 10; i++) await onA0.PublishAsync("wanted", i);
        await onA0.PingAsync();

        Assert.Equal(Enumerable.Range(0, 10), (await NatsClients.ReadAsync(wanted, 10)).Select(m => m.Data));
        Assert.Equal(10, SentToRegions(a0) - before);
        Assert.False(HasRegionInterest(a0, "nobody.wants.this"));
    }
}
