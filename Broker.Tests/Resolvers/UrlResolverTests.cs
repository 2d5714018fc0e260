using System.Diagnostics;
using Broker.Configuration;
using Broker.NKeys;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Resolvers;

/// <summary>
/// <c>resolver: URL(...)</c>: an account not yet known is fetched from the account server when one
/// of its users connects; not found, too slow or not acceptable refuses the connection with
/// <c>Authorization Violation</c>, and the next connect asks again.
/// </summary>
public sealed class UrlResolverTests : IAsyncDisposable
{
    private readonly OperatorSetup _setup = new();
    private readonly AccountServer _accounts = new();
    private readonly NKeyPair _accountA = NKeyPair.Create(NKeyType.Account);

    public async ValueTask DisposeAsync()
    {
        await _accounts.DisposeAsync();
        _accountA.Dispose();
        _setup.Dispose();
    }

    private Task<TestBroker> StartAsync(string? config = null)
    {
        _accounts.Jwts[_setup.System.PublicKey] = _setup.AccountJwt(_setup.System);
        config ??= _setup.Config($": URL({_accounts.BaseUrl})");
        return TestBroker.StartAsync(o => BrokerConfigLoader.Parse(config, "test", _setup.Directory) with { Host = o.Host, Port = o.Port });
    }

    private async Task<NatsConnection> ConnectAsync(TestBroker broker, NKeyPair account)
    {
        var user = NKeyPair.Create(NKeyType.User);
        return await OperatorSetup.ConnectAsync(broker.Url, account, user);
    }

    private async Task AssertRefusedAsync(TestBroker broker, NKeyPair account)
    {
        var error = await Assert.ThrowsAnyAsync<NatsException>(async () => await ConnectAsync(broker, account));
        Assert.Contains("Authorization Violation", error.ToString());
    }

    [Fact]
    public async Task An_unknown_account_is_fetched_once_when_its_first_user_connects()
    {
        await using var broker = await StartAsync();
        _accounts.Jwts[_accountA.PublicKey] = _setup.AccountJwt(_accountA);

        await using var first = await ConnectAsync(broker, _accountA);
        await using var second = await ConnectAsync(broker, _accountA);
        await using var subscription = await second.SubscribeCoreAsync<string>("greet");
        await second.PingAsync();
        await first.PublishAsync("greet", "hello");
        Assert.Equal("hello", (await NatsClients.ReadAsync(subscription, 1)).Single().Data);
        Assert.Equal(1, _accounts.Requests[_accountA.PublicKey]);
    }

    [Fact]
    public async Task An_account_the_server_does_not_have_is_refused_and_asked_for_again_on_the_next_connect()
    {
        await using var broker = await StartAsync();
        await AssertRefusedAsync(broker, _accountA);
        Assert.Equal(1, _accounts.Requests[_accountA.PublicKey]);

        _accounts.Jwts[_accountA.PublicKey] = _setup.AccountJwt(_accountA);
        await using var connection = await ConnectAsync(broker, _accountA);
        Assert.Equal(2, _accounts.Requests[_accountA.PublicKey]);
    }

    [Fact]
    public async Task A_server_slower_than_the_fetch_timeout_is_given_up_on()
    {
        await using var broker = await StartAsync();
        _accounts.Jwts[_accountA.PublicKey] = _setup.AccountJwt(_accountA);
        _accounts.Delay = TimeSpan.FromSeconds(6);
        var clock = Stopwatch.StartNew();
        await AssertRefusedAsync(broker, _accountA);
        // nats-server's fetch timeout is 1.9 s; the answer would have come after 6.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5.5), $"refused after {clock.Elapsed}");
    }

    [Fact]
    public async Task Errors_and_unacceptable_answers_refuse_the_connection()
    {
        await using var broker = await StartAsync();
        using var otherOperator = NKeyPair.Create(NKeyType.Operator);
        using var accountB = NKeyPair.Create(NKeyType.Account);
        var answers = new (int Status, string Body)[]
        {
            (500, "boom"),
            (200, "not a jwt"),
            (200, _setup.AccountJwt(_accountA, signer: otherOperator)),
            (200, _setup.AccountJwt(accountB)),
            (200, _setup.AccountJwt(_accountA, c => c.Expires = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds())),
        };
        foreach (var answer in answers)
        {
            _accounts.Overrides[_accountA.PublicKey] = answer;
            await AssertRefusedAsync(broker, _accountA);
        }
        Assert.False(broker.Server.Context.Accounts.TryGet(_accountA.PublicKey, out _));

        // Nothing else broke: a good answer is taken.
        _accounts.Overrides.Clear();
        _accounts.Jwts[_accountA.PublicKey] = _setup.AccountJwt(_accountA);
        await using var connection = await ConnectAsync(broker, _accountA);
    }

    [Fact]
    public async Task Pinned_accounts_admit_only_their_users_and_the_system_account()
    {
        await using var broker = await StartAsync(_setup.Config($": URL({_accounts.BaseUrl})", $"resolver_pinned_accounts: [{_accountA.PublicKey}]"));
        using var accountB = NKeyPair.Create(NKeyType.Account);
        _accounts.Jwts[_accountA.PublicKey] = _setup.AccountJwt(_accountA);
        _accounts.Jwts[accountB.PublicKey] = _setup.AccountJwt(accountB);

        await using var a = await ConnectAsync(broker, _accountA);
        await using var system = await ConnectAsync(broker, _setup.System);
        await AssertRefusedAsync(broker, accountB);
        // A pinned-out account is not even asked for.
        Assert.False(_accounts.Requests.ContainsKey(accountB.PublicKey));
    }

    [Fact]
    public async Task Without_a_resolver_the_operator_jwts_account_server_url_is_used()
    {
        var baseUrl = _accounts.BaseUrl[..^"/accounts/".Length];
        var config = $"operator: \"{_setup.OperatorJwt(o => o.Nats.AccountServerUrl = baseUrl)}\"\nsystem_account: {_setup.System.PublicKey}\n";
        var options = BrokerConfigLoader.Parse(config, "test", _setup.Directory);
        Assert.Equal(ResolverKind.Url, options.Operator!.Resolver.Kind);
        Assert.Equal(_accounts.BaseUrl, options.Operator.Resolver.Url);

        await using var broker = await StartAsync(config);
        _accounts.Jwts[_accountA.PublicKey] = _setup.AccountJwt(_accountA);
        await using var connection = await ConnectAsync(broker, _accountA);
    }

    [Fact]
    public async Task Updates_apply_to_loaded_accounts_and_skip_others()
    {
        await using var broker = await StartAsync();
        await using var system = await ConnectAsync(broker, _setup.System);
        var skipped = await OperatorSetup.RequestJsonAsync(system, $"$SYS.REQ.ACCOUNT.{_accountA.PublicKey}.CLAIMS.UPDATE", _setup.AccountJwt(_accountA));
        Assert.Equal("jwt update skipped", skipped.GetProperty("data").GetProperty("message").GetString());
        Assert.Equal(broker.Server.Context.ServerId, skipped.GetProperty("server").GetProperty("id").GetString());
        Assert.False(broker.Server.Context.Accounts.TryGet(_accountA.PublicKey, out _));

        _accounts.Jwts[_accountA.PublicKey] = _setup.AccountJwt(_accountA, issuedAt: DateTimeOffset.UtcNow.AddMinutes(-5));
        await using var a = await ConnectAsync(broker, _accountA);
        var updated = await OperatorSetup.RequestJsonAsync(system, $"$SYS.ACCOUNT.{_accountA.PublicKey}.CLAIMS.UPDATE",
            _setup.AccountJwt(_accountA, c => c.Name = "renamed"));
        Assert.Equal("jwt updated", updated.GetProperty("data").GetProperty("message").GetString());
        Assert.Equal("renamed", broker.Server.Context.OperatorAccounts![_accountA.PublicKey].Name);
    }
}
