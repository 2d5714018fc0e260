using Broker.Configuration;
using Broker.Server;
using Broker.Tests.EndToEnd;

namespace Broker.Tests.Cluster;

/// <summary>
/// Accounts and imports a configuration reload adds reach the other cluster nodes, and the interest
/// in them is sent again when a peer comes back (nats-server has lost interest after a reload,
/// nats-io/nats-server#3058).
/// </summary>
public class ClusterReloadTests
{
    /// <summary>Account A exports news.>; B imports it once <paramref name="withImport"/>.</summary>
    private static IReadOnlyList<AccountOptions> Accounts(bool withImport) => BrokerConfigLoader.Parse($$"""
        accounts {
          A { users: [ { user: a, password: a } ], exports: [ { stream: "news.>" } ] }
          B { users: [ { user: b, password: b } ]{{(withImport ? ", imports: [ { stream: { account: A, subject: \"news.>\" } } ]" : "")}} }
        }
        """).Accounts;

    private static void Reload(BrokerServer server, IReadOnlyList<AccountOptions> accounts, params string[] rewired) =>
        server.ApplyReload(new ReloadPlan(server.Context.Options with { Accounts = accounts }, true, rewired.ToHashSet()));

    [Fact]
    public async Task An_import_a_reload_adds_carries_a_stream_from_one_node_to_an_importer_on_another()
    {
        await using var cluster = await TestCluster.StartAsync(2, configure: o => o with { Accounts = Accounts(withImport: false) });
        await using var publisher = await NatsClients.ConnectAsync(cluster[0].Url, ExportingAccounts.As("a"));
        await using var importer = await NatsClients.ConnectAsync(cluster[1].Url, ExportingAccounts.As("b"));
        await using var news = await importer.SubscribeCoreAsync<string>("news.>");
        await importer.PingAsync();
        // Every node wires imports for its own publishers: node 0 delivers into B, whose interest is the subscriber's on node 1.
        await cluster[0].WaitRemoteInterestAsync("news.>", account: "B");
        await publisher.PublishAsync("news.0", "before the import");
        await publisher.PingAsync();

        foreach (var node in cluster.Nodes) Reload(node.Server, Accounts(withImport: true), "B");
        await publisher.PublishAsync("news.1", "n1");
        await publisher.PingAsync();

        // Only the message published after the reload arrives: the import did not exist before it.
        var got = await NatsClients.ReadAsync(news, 1);
        Assert.Equal("news.1:n1", $"{got[0].Subject}:{got[0].Data}");
    }

    [Fact]
    public async Task An_account_a_reload_adds_has_its_interest_sent_to_a_peer_again_after_the_peer_restarts()
    {
        // Node 1 knows account N from the start; node 0 learns it by a reload.
        var withN = BrokerConfigLoader.Parse("accounts { N { users: [ { user: n, password: n } ] } }").Accounts;
        await using var cluster = await TestCluster.StartAsync(2, null, (i, o) => o with { Accounts = i == 1 ? withN : [] });
        Reload(cluster[0].Server, withN);
        await using var subscriber = await NatsClients.ConnectAsync(cluster[0].Url, ExportingAccounts.As("n"));
        await using var sub = await subscriber.SubscribeCoreAsync<int>("x");
        await subscriber.PingAsync();
        await cluster[1].WaitRemoteInterestAsync("x", account: "N");

        await cluster[1].StopAsync();
        await cluster.RestartAsync(1);
        await cluster.WaitFormedAsync();
        await cluster[1].WaitRemoteInterestAsync("x", account: "N");

        await using var publisher = await NatsClients.ConnectAsync(cluster[1].Url, ExportingAccounts.As("n"));
        await publisher.PublishAsync("x", 7);
        await publisher.PingAsync();
        Assert.Equal(7, (await NatsClients.ReadAsync(sub, 1)).Single().Data);
    }
}
