using Broker.Configuration;
using Broker.NKeys;
using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;
using static Broker.Tests.Gateways.TestSupercluster;

namespace Broker.Tests.Gateways;

/// <summary>Operator mode across regions: another region's interest in an account this node learns of later takes effect when its claims arrive.</summary>
public sealed class GatewayOperatorModeTests : IDisposable
{
    private readonly OperatorSetup _setup = new();
    private readonly NKeyPair _late = NKeyPair.Create(NKeyType.Account);

    public void Dispose()
    {
        _late.Dispose();
        _setup.Dispose();
    }

    private string AccountJwt(NKeyPair account) => _setup.AccountJwt(account);

    private BrokerOptions RegionOptions(string region, bool knowsLate, int port, string remote, int remotePort)
    {
        return _setup.FullResolverOptions(region, knowsLate ? [_late] : []) with
        {
            Gateway = new GatewayOptions
            {
                Name = region,
                Listen = new ClusterEndpoint("127.0.0.1", port),
                Remotes = [new RemoteGatewayOptions(remote, [new ClusterEndpoint("127.0.0.1", remotePort)])],
            },
        };
    }

    private static Task<NatsConnection> ConnectAsync(TestCluster.Node node, NKeyPair account, NKeyPair user) => OperatorSetup.ConnectAsync(node.Url, account, user);

    [Fact]
    public async Task Another_regions_interest_in_a_later_account_takes_effect_when_its_claims_arrive()
    {
        var (eastPort, westPort) = (TestCluster.FreePort(), TestCluster.FreePort());
        await using var east = await TestCluster.StartAsync(1, null, (_, _) => RegionOptions("east", false, eastPort, "west", westPort));
        await using var west = await TestCluster.StartAsync(1, null, (_, _) => RegionOptions("west", true, westPort, "east", eastPort));
        using var lateUser = NKeyPair.Create(NKeyType.User);
        using var systemUser = NKeyPair.Create(NKeyType.User);
        await using var subscriberClient = await ConnectAsync(west[0], _late, lateUser);
        await using var subscriber = await subscriberClient.SubscribeCoreAsync<string>("late.news");
        await subscriberClient.PingAsync();
        // West's interest changes reach east in order: once east holds the marker, it has been told of late.news.
        await using var systemOnWest = await ConnectAsync(west[0], _setup.System, systemUser);
        await using var marker = await systemOnWest.SubscribeCoreAsync<string>("marker");
        await WaitRegionInterestAsync(east[0], "marker", account: _setup.System.PublicKey);
        Assert.False(east[0].Server.Context.Accounts.TryGet(_late.PublicKey, out _));

        await using var systemOnEast = await ConnectAsync(east[0], _setup.System, systemUser);
        await systemOnEast.RequestAsync<string, string>("$SYS.REQ.CLAIMS.UPDATE", AccountJwt(_late));
        await WaitRegionInterestAsync(east[0], "late.news", account: _late.PublicKey);

        using var publisherUser = NKeyPair.Create(NKeyType.User);
        await using var publisher = await ConnectAsync(east[0], _late, publisherUser);
        await publisher.PublishAsync("late.news", "hello");
        Assert.Equal("hello", (await NatsClients.ReadAsync(subscriber, 1)).Single().Data);
    }
}
