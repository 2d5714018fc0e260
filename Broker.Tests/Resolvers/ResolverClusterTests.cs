using Broker.Configuration;
using Broker.NKeys;
using Broker.Tests.Cluster;
using Broker.Tests.Gateways;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Resolvers;

/// <summary>
/// The built-in resolver across servers: a JWT pushed to any node reaches every full resolver
/// of the cluster and of other regions; a node that was down during the update catches up
/// through the PACK exchange when it returns; a cache looks up its misses from the full resolvers.
/// </summary>
public sealed class ResolverClusterTests : IDisposable
{
    private readonly OperatorSetup _setup = new();
    private readonly NKeyPair _accountB = NKeyPair.Create(NKeyType.Account);

    public void Dispose()
    {
        _accountB.Dispose();
        _setup.Dispose();
    }

    /// <summary>Each node's store is its own directory, named by its cluster port (stable across a restart).</summary>
    private string StoreOf(BrokerOptions options) => Path.Combine(_setup.Directory, $"node-{options.Cluster!.Listen.Port}");

    private string StoreOf(TestCluster.Node node) => StoreOf(node.Server.Context.Options);

    private BrokerOptions NodeOptions(BrokerOptions options, string resolver = "{ type: full, dir: \"%DIR%\", interval: \"1s\" }")
    {
        var directory = StoreOf(options);
        if (!Directory.Exists(directory)) _setup.Store(directory, _setup.System);
        var config = _setup.Config(resolver.Replace("%DIR%", directory));
        return BrokerConfigLoader.Parse(config, "test", _setup.Directory) with { Cluster = options.Cluster, Gateway = options.Gateway };
    }

    /// <summary>Whether the node keeps <paramref name="jwt"/> in its store and has made the account (the file is written first).</summary>
    private bool Stored(TestCluster.Node node, string jwt) =>
        node.Server.Context.Accounts.TryGet(_accountB.PublicKey, out _) && File.Exists(Path.Combine(StoreOf(node), $"{_accountB.PublicKey}.jwt")) && File.ReadAllText(Path.Combine(StoreOf(node), $"{_accountB.PublicKey}.jwt")) == jwt;

    private async Task PushAsync(TestCluster.Node node, string jwt)
    {
        await using var system = await _setup.ConnectSystemAsync(node.Url);
        var reply = await OperatorSetup.RequestJsonAsync(system, "$SYS.REQ.CLAIMS.UPDATE", jwt);
        Assert.Equal("jwt updated", reply.GetProperty("data").GetProperty("message").GetString());
    }

    private async Task AssertConnectsAsync(TestCluster.Node node)
    {
        await using var connection = await OperatorSetup.ConnectAsync(node.Url, _accountB, NKeyPair.Create(NKeyType.User));
        await connection.PingAsync();
    }

    [Fact]
    public async Task A_jwt_pushed_to_one_node_reaches_every_full_resolver_and_a_node_that_was_down_catches_up()
    {
        await using var cluster = await TestCluster.StartAsync(3, null, (_, options) => NodeOptions(options));
        await cluster[2].StopAsync();
        var jwt = _setup.AccountJwt(_accountB);
        await PushAsync(cluster[0], jwt);
        await Eventually.Async(() => Stored(cluster[0], jwt) && Stored(cluster[1], jwt), "the JWT in the running nodes' stores");
        await AssertConnectsAsync(cluster[1]);
        Assert.False(Stored(cluster[2], jwt));

        var returned = await cluster.RestartAsync(2);
        await cluster.WaitFormedAsync();
        await Eventually.Async(() => Stored(returned, jwt), "the returning node to catch up through PACK");
        await AssertConnectsAsync(returned);
    }

    [Fact]
    public async Task A_newer_jwt_replaces_an_older_one_on_a_returning_node_and_an_older_one_never_wins()
    {
        var older = _setup.AccountJwt(_accountB, c => c.Name = "old", issuedAt: DateTimeOffset.UtcNow.AddMinutes(-10));
        await using var cluster = await TestCluster.StartAsync(2, null, (_, options) => NodeOptions(options));
        await PushAsync(cluster[0], older);
        await Eventually.Async(() => Stored(cluster[1], older), "the old JWT everywhere");
        await cluster[1].StopAsync();
        var newer = _setup.AccountJwt(_accountB, c => c.Name = "new");
        await PushAsync(cluster[0], newer);

        var returned = await cluster.RestartAsync(1);
        await Eventually.Async(() => Stored(returned, newer), "the newer JWT on the returning node");
        // Both stores hold the newer JWT, so their hashes agree and neither side sends the old one back.
        Assert.True(Stored(cluster[0], newer));
        Assert.Equal("new", returned.Server.Context.OperatorAccounts![_accountB.PublicKey].Name);
    }

    [Fact]
    public async Task A_cache_looks_its_misses_up_from_a_full_resolver()
    {
        await using var cluster = await TestCluster.StartAsync(2, null, (index, options) =>
            NodeOptions(options, index == 0 ? "{ type: full, dir: \"%DIR%\" }" : "{ type: cache, dir: \"%DIR%\", limit: 10 }"));
        var jwt = _setup.AccountJwt(_accountB);
        _setup.Store(StoreOf(cluster[0]), _accountB, jwt);
        Assert.False(cluster[1].Server.Context.OperatorAccounts!.ContainsKey(_accountB.PublicKey));

        await AssertConnectsAsync(cluster[1]);
        Assert.True(Stored(cluster[1], jwt), "the cache keeps what it looked up");
    }

    [Fact]
    public async Task A_cache_refuses_an_account_no_full_resolver_has()
    {
        await using var cluster = await TestCluster.StartAsync(2, null, (index, options) =>
            NodeOptions(options, index == 0 ? "{ type: full, dir: \"%DIR%\" }" : "{ type: cache, dir: \"%DIR%\" }"));
        var error = await Assert.ThrowsAnyAsync<NATS.Client.Core.NatsException>(async () => await AssertConnectsAsync(cluster[1]));
        Assert.Contains("Authorization Violation", error.ToString());
    }

    [Fact]
    public async Task A_jwt_pushed_in_one_region_reaches_the_other_regions_full_resolvers_and_a_node_that_was_down()
    {
        await using var supercluster = await TestSupercluster.StartAsync(2, options => NodeOptions(options), "east", "west");
        var (east, west) = (supercluster["east"], supercluster["west"]);
        await west[1].StopAsync();
        var jwt = _setup.AccountJwt(_accountB);
        await PushAsync(east[0], jwt);
        await Eventually.Async(() => Stored(east[0], jwt) && Stored(east[1], jwt) && Stored(west[0], jwt), "the JWT in both regions");
        await AssertConnectsAsync(west[0]);

        var returned = await west.RestartAsync(1);
        await Eventually.Async(() => Stored(returned, jwt), "the returning node to catch up");
        await AssertConnectsAsync(returned);
    }
}
