using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using static Broker.Tests.Gateways.TestSupercluster;

namespace Broker.Tests.Gateways;

/// <summary>Accounts, with their exports and imports, across regions.</summary>
public class GatewayAccountTests
{
    [Fact]
    public async Task Imported_services_and_streams_work_across_regions_and_accounts_stay_apart()
    {
        await using var super = await TestSupercluster.StartAsync(2, ExportingAccounts.Apply, "east", "west");
        var (east0, east1, west1) = (super["east"][0], super["east"][1], super["west"][1]);
        await using var responderClient = await NatsClients.ConnectAsync(west1.Url, ExportingAccounts.As("a"));
        await using var importerOnEast0 = await NatsClients.ConnectAsync(east0.Url, ExportingAccounts.As("b"));
        await using var importerOnEast1 = await NatsClients.ConnectAsync(east1.Url, ExportingAccounts.As("b"));
        await using var publisherOfA = await NatsClients.ConnectAsync(west1.Url, ExportingAccounts.As("a"));
        await using var responder = await responderClient.SubscribeCoreAsync<string>("svc.>");
        await using var news = await importerOnEast1.SubscribeCoreAsync<string>("news.>");
        await using var aOnEast = await NatsClients.ConnectAsync(east1.Url, ExportingAccounts.As("a"));
        await using var ordersOfA = await aOnEast.SubscribeCoreAsync<string>("orders");
        await using var ordersOfB = await importerOnEast1.SubscribeCoreAsync<string>("orders");
        await using var bOnWest = await NatsClients.ConnectAsync(west1.Url, ExportingAccounts.As("b"));
        await WaitRegionInterestAsync(west1, "orders", account: "A");
        await WaitRegionInterestAsync(west1, "orders", account: "B");
        await WaitRegionInterestAsync(east0, "svc.lookup", account: "A");
        await WaitRegionInterestAsync(east1, "svc.lookup", account: "A");
        await WaitRegionInterestAsync(west1, "news.today", account: "B");

        var serve = Task.Run(async () =>
        {
            await foreach (var msg in responder.Msgs.ReadAllAsync()) await msg.ReplyAsync($"{msg.Subject} answered {msg.Data}");
        });
        // From both east nodes: the response finds the requester's node, whichever east node west's link reaches.
        Assert.Equal("svc.lookup answered 1", (await importerOnEast0.RequestAsync<string, string>("svc.lookup", "1")).Data);
        Assert.Equal("svc.lookup answered 2", (await importerOnEast1.RequestAsync<string, string>("svc.lookup", "2")).Data);

        await publisherOfA.PublishAsync("news.today", "headline");
        Assert.Equal("news.today:headline", (await NatsClients.ReadAsync(news, 1)).Select(m => $"{m.Subject}:{m.Data}").Single());

        // B's message crosses to B's subscriber only, though A has interest in the same subject there.
        await bOnWest.PublishAsync("orders", "for B");
        Assert.Equal("for B", (await NatsClients.ReadAsync(ordersOfB, 1)).Single().Data);
        await aOnEast.PingAsync();
        Assert.False(ordersOfA.Msgs.TryRead(out _));
        await responder.UnsubscribeAsync();
        await serve;
    }
}
