using Broker.Configuration;
using Broker.NKeys;
using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Cluster;

/// <summary>Operator mode in a cluster: an account one node learns of later still gets the other nodes' interest in it.</summary>
public sealed class ClusterOperatorModeTests : IDisposable
{
    private readonly OperatorSetup _setup = new();
    private readonly NKeyPair _late = NKeyPair.Create(NKeyType.Account);

    public void Dispose()
    {
        _late.Dispose();
        _setup.Dispose();
    }

    private string AccountJwt(NKeyPair account) => _setup.AccountJwt(account);

    /// <summary>Node <paramref name="index"/>'s options: its own resolver directory; only node 1 knows the late account at start.</summary>
    private BrokerOptions NodeOptions(int index) => _setup.FullResolverOptions($"node{index}", index == 1 ? [_late] : []);

    private static Task<NatsConnection> ConnectAsync(TestCluster.Node node, NKeyPair account, NKeyPair user) => OperatorSetup.ConnectAsync(node.Url, account, user);

    [Fact]
    public async Task Interest_in_an_account_a_node_gets_later_takes_effect_when_its_claims_arrive()
    {
        await using var cluster = await TestCluster.StartAsync(2, null, (index, _) => NodeOptions(index));
        using var lateUser = NKeyPair.Create(NKeyType.User);
        using var systemUser = NKeyPair.Create(NKeyType.User);
        await using var subscriberClient = await ConnectAsync(cluster[1], _late, lateUser);
        await using var subscriber = await subscriberClient.SubscribeCoreAsync<string>("late.news");
        await subscriberClient.PingAsync();
        // Interest changes from one node arrive in order: once node 0 holds the marker, it has been told of late.news.
        await using var systemOn1 = await ConnectAsync(cluster[1], _setup.System, systemUser);
        await using var marker = await systemOn1.SubscribeCoreAsync<string>("marker");
        await cluster[0].WaitRemoteInterestAsync("marker", account: _setup.System.PublicKey);
        Assert.False(cluster[0].Server.Context.Accounts.TryGet(_late.PublicKey, out _));

        await using var systemOn0 = await ConnectAsync(cluster[0], _setup.System, systemUser);
        await systemOn0.RequestAsync<string, string>("$SYS.REQ.CLAIMS.UPDATE", AccountJwt(_late));
        // Every node answers the update; node 1's answer can come back before node 0 has added the account.
        await Eventually.Async(() => cluster[0].Server.Context.Accounts.TryGet(_late.PublicKey, out _), "the late account on node 0");
        await cluster[0].WaitRemoteInterestAsync("late.news", account: _late.PublicKey);

        using var publisherUser = NKeyPair.Create(NKeyType.User);
        await using var publisher = await ConnectAsync(cluster[0], _late, publisherUser);
        await publisher.PublishAsync("late.news", "hello");
        Assert.Equal("hello", (await NatsClients.ReadAsync(subscriber, 1)).Single().Data);
    }
}
