using Broker.Tests.Differential;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Accounts.LiveClaims;

/// <summary>
/// Account and user JWT changes reaching connections that are already open, on Broker and on
/// nats-server 2.9.10 (the same scenario and the same expected bytes; the nats-server half skips
/// where it is not installed). Expectations are what nats-server 2.9.10 was seen to do.
/// </summary>
public sealed class LiveClaimsTests : IDisposable
{
    private readonly OperatorSetup _keys = new();

    public void Dispose() => _keys.Dispose();

    private async Task<T> OnBrokerAsync<T>(Func<LiveClaimsScenarios, Task<T>> scenario)
    {
        await using var server = await ServerUnderTest.BrokerAsync(_keys.Config());
        return await scenario(new LiveClaimsScenarios(_keys, server));
    }

    private async Task<T> OnNatsServerAsync<T>(Func<LiveClaimsScenarios, Task<T>> scenario)
    {
        await using var server = await ServerUnderTest.NatsServerAsync(_keys.Config());
        return await scenario(new LiveClaimsScenarios(_keys, server));
    }

    private const string Revoked = "-ERR 'User Authentication Revoked'\r\n";
    private const string RevokedTold = "User Authentication Revoked";

    [Fact]
    public async Task A_revoked_user_is_closed_and_others_stay() =>
        Assert.Equal($"{Revoked}|{RevokedTold}", await OnBrokerAsync(s => s.RevokedByKeyAsync()));

    [NatsServerFact]
    public async Task A_revoked_user_is_closed_and_others_stay_on_nats_server() =>
        Assert.Equal($"{Revoked}|{RevokedTold}", await OnNatsServerAsync(s => s.RevokedByKeyAsync()));

    [Fact]
    public async Task Revoking_all_users_issued_before_a_time_closes_only_those() =>
        Assert.Equal(Revoked, await OnBrokerAsync(s => s.RevokedAllBeforeAsync()));

    [NatsServerFact]
    public async Task Revoking_all_users_issued_before_a_time_closes_only_those_on_nats_server() =>
        Assert.Equal(Revoked, await OnNatsServerAsync(s => s.RevokedAllBeforeAsync()));

    [Fact]
    public async Task A_removed_signing_key_closes_its_users_without_an_error() =>
        Assert.Equal("", await OnBrokerAsync(s => s.SigningKeyRemovedAsync()));

    [NatsServerFact]
    public async Task A_removed_signing_key_closes_its_users_without_an_error_on_nats_server() =>
        Assert.Equal("", await OnNatsServerAsync(s => s.SigningKeyRemovedAsync()));

    private const string ScopeResult = "-ERR 'Permissions Violation for Publish to \"x\"'\r\nPONG\r\n|";

    [Fact]
    public async Task A_changed_scope_closes_its_users_without_an_error() =>
        Assert.Equal(ScopeResult, await OnBrokerAsync(s => s.ScopeChangedAsync()));

    [NatsServerFact]
    public async Task A_changed_scope_closes_its_users_without_an_error_on_nats_server() =>
        Assert.Equal(ScopeResult, await OnNatsServerAsync(s => s.ScopeChangedAsync()));

    private const string OverConnections = "-ERR 'maximum account active connections exceeded'\r\n";

    [Fact]
    public async Task A_lower_connection_limit_keeps_the_newest_connections() =>
        Assert.Equal($"{OverConnections}|{OverConnections}|open|maximum account active connections exceeded", await OnBrokerAsync(s => s.ConnectionLimitAsync()));

    [NatsServerFact]
    public async Task A_lower_connection_limit_keeps_the_newest_connections_on_nats_server() =>
        Assert.Equal($"{OverConnections}|{OverConnections}|open|maximum account active connections exceeded", await OnNatsServerAsync(s => s.ConnectionLimitAsync()));

    private const string OverSubscriptions = "-ERR 'maximum subscriptions exceeded'\r\n";

    [Fact]
    public async Task A_lower_subscription_limit_closes_connections_at_or_over_it() =>
        Assert.Equal($"{OverSubscriptions}|{OverSubscriptions}|PONG\r\n", await OnBrokerAsync(s => s.SubscriptionLimitAsync()));

    [NatsServerFact]
    public async Task A_lower_subscription_limit_closes_connections_at_or_over_it_on_nats_server() =>
        Assert.Equal($"{OverSubscriptions}|{OverSubscriptions}|PONG\r\n", await OnNatsServerAsync(s => s.SubscriptionLimitAsync()));

    private const string PayloadResult = "PONG\r\n|-ERR 'Maximum Payload Violation'\r\n";

    [Fact]
    public async Task A_lower_payload_limit_applies_to_open_connections() =>
        Assert.Equal(PayloadResult, await OnBrokerAsync(s => s.PayloadLimitAsync()));

    [NatsServerFact]
    public async Task A_lower_payload_limit_applies_to_open_connections_on_nats_server() =>
        Assert.Equal(PayloadResult, await OnNatsServerAsync(s => s.PayloadLimitAsync()));

    private const string Violation = "-ERR 'Authorization Violation'\r\n";

    [Fact]
    public async Task Disallowing_bearer_tokens_closes_bearer_users() =>
        Assert.Equal(Violation, await OnBrokerAsync(s => s.BearerDisallowedAsync()));

    [NatsServerFact]
    public async Task Disallowing_bearer_tokens_closes_bearer_users_on_nats_server() =>
        Assert.Equal(Violation, await OnNatsServerAsync(s => s.BearerDisallowedAsync()));

    private const string UserExpired = "-ERR 'User Authentication Expired'\r\n|User Authentication Expired";

    [Fact]
    public async Task A_user_jwt_that_expires_closes_its_connections() =>
        Assert.Equal(UserExpired, await OnBrokerAsync(s => s.UserExpiryAsync()));

    [NatsServerFact]
    public async Task A_user_jwt_that_expires_closes_its_connections_on_nats_server() =>
        Assert.Equal(UserExpired, await OnNatsServerAsync(s => s.UserExpiryAsync()));

    private const string WindowEnded = "-ERR 'User Authentication Expired'\r\n|User Authentication Expired";

    [Fact]
    public async Task The_end_of_a_users_time_window_closes_it() =>
        Assert.Equal(WindowEnded, await OnBrokerAsync(s => s.TimeWindowEndAsync()));

    [NatsServerFact]
    public async Task The_end_of_a_users_time_window_closes_it_on_nats_server() =>
        Assert.Equal(WindowEnded, await OnNatsServerAsync(s => s.TimeWindowEndAsync()));

    private const string AccountExpired = "-ERR 'Account Authentication Expired'\r\n|Account Authentication Expired";

    [Fact]
    public async Task An_account_jwt_that_expires_closes_the_accounts_connections() =>
        Assert.Equal(AccountExpired, await OnBrokerAsync(s => s.AccountExpiryAsync()));

    [NatsServerFact]
    public async Task An_account_jwt_that_expires_closes_the_accounts_connections_on_nats_server() =>
        Assert.Equal(AccountExpired, await OnNatsServerAsync(s => s.AccountExpiryAsync()));

    private const string PermissionsResult = "PONG\r\n|-ERR 'Permissions Violation for Publish to \"x\"'\r\nPONG\r\n";

    [Fact]
    public async Task New_default_permissions_apply_to_new_connections_only() =>
        Assert.Equal(PermissionsResult, await OnBrokerAsync(s => s.DefaultPermissionsAsync()));

    [NatsServerFact]
    public async Task New_default_permissions_apply_to_new_connections_only_on_nats_server() =>
        Assert.Equal(PermissionsResult, await OnNatsServerAsync(s => s.DefaultPermissionsAsync()));

    private static readonly string[] BadReplies = ["error 500", "error 500", "error 500", "error 500", "error 500"];

    [Fact]
    public async Task Bad_jwts_change_nothing_for_open_connections() =>
        Assert.Equal(BadReplies, await OnBrokerAsync(s => s.BadInputAsync()));

    [NatsServerFact]
    public async Task Bad_jwts_change_nothing_for_open_connections_on_nats_server() =>
        Assert.Equal(BadReplies, await OnNatsServerAsync(s => s.BadInputAsync()));

    [Fact]
    public async Task Closed_connections_carry_nats_servers_close_reasons()
    {
        await using var server = await ServerUnderTest.BrokerAsync(_keys.Config());
        var scenarios = new LiveClaimsScenarios(_keys, server);
        await scenarios.RevokedByKeyAsync();
        await scenarios.UserExpiryAsync();
        await scenarios.ConnectionLimitAsync();
        // nats-server's ClosedState names, as /connz?state=closed shows them.
        string[] expected = ["Credentials Revoked", "Authentication Expired", "Maximum Account Connections Exceeded"];
        await Eventually.Async(
            () => server.Broker!.Server.Context.ClosedConnections.ToArray().Select(c => c.Reason).ToHashSet().IsSupersetOf(expected),
            "closed connections with " + string.Join(", ", expected));
    }

    private static readonly string[] Rewired = ["news.1", "other.before", "later.1", "other.after"];

    [Fact]
    public async Task A_live_importer_sees_exports_removed_and_added() =>
        Assert.Equal(Rewired, await OnBrokerAsync(s => s.ExportsRewiredAsync()));

    [NatsServerFact]
    public async Task A_live_importer_sees_exports_removed_and_added_on_nats_server() =>
        Assert.Equal(Rewired, await OnNatsServerAsync(s => s.ExportsRewiredAsync()));
}
