using Broker.Tests.Differential;
using Broker.Tests.LeafNodes;

namespace Broker.Tests.Accounts.LiveClaims;

/// <summary>
/// Leaf links that authenticated with a user JWT get the live JWT effects a client of that user
/// gets, on Broker as on nats-server 2.9.10 (the same scenario, the same bytes on the leaf's socket;
/// the nats-server half skips where it is not installed).
/// </summary>
public sealed class LiveLeafClaimsTests : IDisposable
{
    private readonly OperatorSetup _keys = new();

    public void Dispose() => _keys.Dispose();

    private string HubConfig(int leafPort) => _keys.Config() + $"leafnodes {{ listen: \"127.0.0.1:{leafPort}\" }}\n";

    private async Task<T> OnBrokerAsync<T>(Func<LiveClaimsScenarios, int, Task<T>> scenario)
    {
        var leafPort = LeafTestSupport.FreePort();
        await using var server = await ServerUnderTest.BrokerAsync(HubConfig(leafPort));
        return await scenario(new LiveClaimsScenarios(_keys, server), leafPort);
    }

    private async Task<T> OnNatsServerAsync<T>(Func<LiveClaimsScenarios, int, Task<T>> scenario)
    {
        var leafPort = LeafTestSupport.FreePort();
        await using var server = await ServerUnderTest.NatsServerAsync(HubConfig(leafPort));
        return await scenario(new LiveClaimsScenarios(_keys, server), leafPort);
    }

    private const string Revoked = "-ERR 'User Authentication Revoked'\r\n";

    [Fact]
    public async Task A_revoked_leaf_user_is_closed_and_other_leaves_stay() =>
        Assert.Equal(Revoked, await OnBrokerAsync((s, port) => s.LeafRevokedAsync(port)));

    [NatsServerFact]
    public async Task A_revoked_leaf_user_is_closed_and_other_leaves_stay_on_nats_server() =>
        Assert.Equal(Revoked, await OnNatsServerAsync((s, port) => s.LeafRevokedAsync(port)));

    [Fact]
    public async Task A_removed_signing_key_closes_its_leaves_without_an_error() =>
        Assert.Equal("", await OnBrokerAsync((s, port) => s.LeafSigningKeyRemovedAsync(port)));

    [NatsServerFact]
    public async Task A_removed_signing_key_closes_its_leaves_without_an_error_on_nats_server() =>
        Assert.Equal("", await OnNatsServerAsync((s, port) => s.LeafSigningKeyRemovedAsync(port)));

    private const string UserExpired = "-ERR 'User Authentication Expired'\r\n";

    [Fact]
    public async Task A_leaf_users_expiry_closes_the_leaf() =>
        Assert.Equal(UserExpired, await OnBrokerAsync((s, port) => s.LeafUserExpiryAsync(port)));

    [NatsServerFact]
    public async Task A_leaf_users_expiry_closes_the_leaf_on_nats_server() =>
        Assert.Equal(UserExpired, await OnNatsServerAsync((s, port) => s.LeafUserExpiryAsync(port)));

    private const string AccountExpired = "-ERR 'Account Authentication Expired'\r\n";

    [Fact]
    public async Task The_accounts_expiry_closes_its_leaves() =>
        Assert.Equal(AccountExpired, await OnBrokerAsync((s, port) => s.LeafAccountExpiryAsync(port)));

    [NatsServerFact]
    public async Task The_accounts_expiry_closes_its_leaves_on_nats_server() =>
        Assert.Equal(AccountExpired, await OnNatsServerAsync((s, port) => s.LeafAccountExpiryAsync(port)));

    private const string LeafLimitResult = "open|open";

    [Fact]
    public async Task A_lower_leaf_limit() =>
        Assert.Equal(LeafLimitResult, await OnBrokerAsync((s, port) => s.LeafLimitLoweredAsync(port)));

    [NatsServerFact]
    public async Task A_lower_leaf_limit_on_nats_server() =>
        Assert.Equal(LeafLimitResult, await OnNatsServerAsync((s, port) => s.LeafLimitLoweredAsync(port)));
}
