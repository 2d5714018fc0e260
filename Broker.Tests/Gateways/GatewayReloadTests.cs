using Broker.Configuration;
using Broker.Server;
using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using static Broker.Tests.Gateways.TestSupercluster;

namespace Broker.Tests.Gateways;

/// <summary>
/// Accounts and imports a configuration reload adds reach the other regions: the interest of an
/// account a reload adds crosses the gateways, and an import a reload adds carries a stream from a
/// publisher in one region to an importer in another.
/// </summary>
public class GatewayReloadTests
{
    private static IReadOnlyList<AccountOptions> Accounts(string text) => BrokerConfigLoader.Parse(text).Accounts;

    private const string Exporting = """
        accounts {
          A { users: [ { user: a, password: a } ], exports: [ { stream: "news.>" } ] }
          B { users: [ { user: b, password: b } ] }
        }
        """;

    private const string Importing = """
        accounts {
          A { users: [ { user: a, password: a } ], exports: [ { stream: "news.>" } ] }
          B { users: [ { user: b, password: b } ], imports: [ { stream: { account: A, subject: "news.>" } } ] }
        }
        """;

    private static void Reload(TestSupercluster super, IReadOnlyList<AccountOptions> accounts, params string[] rewired)
    {
        foreach (var node in super.Regions.Values.SelectMany(r => r.Nodes)) node.Server.ApplyReload(new ReloadPlan(node.Server.Context.Options with { Accounts = accounts }, true, rewired.ToHashSet()));
    }

    [Fact]
    public async Task An_account_a_reload_adds_in_both_regions_carries_messages_between_them()
    {
        await using var super = await TestSupercluster.StartAsync(1, o => o, (_, g) => g, "east", "west");
        Reload(super, Accounts("accounts { N { users: [ { user: n, password: n } ] } }"));
        var (east, west) = (super["east"][0], super["west"][0]);

        await using var subscriber = await NatsClients.ConnectAsync(west.Url, ExportingAccounts.As("n"));
        await using var sub = await subscriber.SubscribeCoreAsync<int>("x");
        await subscriber.PingAsync();
        await WaitRegionInterestAsync(east, "x", account: "N");

        await using var publisher = await NatsClients.ConnectAsync(east.Url, ExportingAccounts.As("n"));
        await publisher.PublishAsync("x", 7);
        await publisher.PingAsync();
        Assert.Equal(7, (await NatsClients.ReadAsync(sub, 1)).Single().Data);
    }

    [Fact]
    public async Task An_import_a_reload_adds_carries_a_stream_from_one_region_to_an_importer_in_another()
    {
        await using var super = await TestSupercluster.StartAsync(1, o => o with { Accounts = Accounts(Exporting) }, (_, g) => g, "east", "west");
        var (east, west) = (super["east"][0], super["west"][0]);
        await using var publisher = await NatsClients.ConnectAsync(east.Url, ExportingAccounts.As("a"));
        await using var importer = await NatsClients.ConnectAsync(west.Url, ExportingAccounts.As("b"));
        await using var news = await importer.SubscribeCoreAsync<string>("news.>");
        await importer.PingAsync();
        await WaitRegionInterestAsync(east, "news.>", account: "B");
        await publisher.PublishAsync("news.0", "before the import");
        await publisher.PingAsync();

        Reload(super, Accounts(Importing), "B");
        await publisher.PublishAsync("news.1", "after");
        await publisher.PingAsync();

        // Only what was published after the reload arrives: the import did not exist before it.
        var got = await NatsClients.ReadAsync(news, 1);
        Assert.Equal("news.1:after", $"{got[0].Subject}:{got[0].Data}");
    }
}
