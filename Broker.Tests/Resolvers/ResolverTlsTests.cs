using System.Security.Cryptography.X509Certificates;
using Broker.Configuration;
using Broker.NKeys;
using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Resolvers;

/// <summary>
/// <c>resolver: URL(https://...)</c> with <c>resolver_tls</c>: the account server is an https server
/// in the test, its certificate issued by a CA made for the test. Trusting that CA (and presenting
/// a client certificate where the account server asks for one) fetches the account; any other CA
/// fails the handshake, so the account is not found and its user is refused as nats-server 2.9.10 refuses it.
/// </summary>
public sealed class ResolverTlsTests : IAsyncDisposable
{
    private readonly OperatorSetup _setup = new();
    private readonly LinkCertificates _certificates = new();
    private readonly NKeyPair _account = NKeyPair.Create(NKeyType.Account);
    private readonly X509Certificate2 _serverCertificate;
    private AccountServer? _accounts;

    public ResolverTlsTests() =>
        _serverCertificate = X509Certificate2.CreateFromPemFile(_certificates.File("node.pem"), _certificates.File("node-key.pem"));

    public async ValueTask DisposeAsync()
    {
        if (_accounts is not null) await _accounts.DisposeAsync();
        _serverCertificate.Dispose();
        _account.Dispose();
        _certificates.Dispose();
        _setup.Dispose();
    }

    /// <summary>Starts the https account server holding the system account and the test's account.</summary>
    private AccountServer StartAccountServer(bool requireClientCertificate = false)
    {
        var clientAuthorities = requireClientCertificate ? new X509Certificate2Collection { X509CertificateLoader.LoadCertificateFromFile(_certificates.File("ca.pem")) } : null;
        _accounts = new AccountServer(_serverCertificate, clientAuthorities);
        _accounts.Jwts[_setup.System.PublicKey] = _setup.AccountJwt(_setup.System);
        _accounts.Jwts[_account.PublicKey] = _setup.AccountJwt(_account);
        return _accounts;
    }

    private string Config(AccountServer accounts, string tls) =>
        _setup.Config($": URL({accounts.BaseUrl})", $"resolver_tls {{ {tls} }}");

    /// <summary>
    /// Without <c>system_account</c>: nats-server 2.9.10 fetches the system account at start and
    /// exits when it cannot (as with the wrong CA), so the comparison leaves it out.
    /// </summary>
    private string ConfigWithoutSystemAccount(AccountServer accounts, string tls) =>
        $"operator: \"{_setup.OperatorJwt()}\"\nresolver: URL({accounts.BaseUrl})\nresolver_tls {{ {tls} }}\n";

    private string Trusting(string ca) => $"ca_file: \"{_certificates.File(ca)}\"";

    private string WithClientCertificate(string certificate) =>
        $", cert_file: \"{_certificates.File($"{certificate}.pem")}\", key_file: \"{_certificates.File($"{certificate}-key.pem")}\"";

    private Task<TestBroker> StartBrokerAsync(string config) =>
        TestBroker.StartAsync(o => BrokerConfigLoader.Parse(config, "test", _setup.Directory) with { Host = o.Host, Port = o.Port });

    private async Task<NatsConnection> ConnectAsync(string url)
    {
        using var user = NKeyPair.Create(NKeyType.User);
        return await OperatorSetup.ConnectAsync(url, _account, user);
    }

    private async Task AssertPubSubAsync(string url)
    {
        await using var publisher = await ConnectAsync(url);
        await using var subscriber = await ConnectAsync(url);
        await using var subscription = await subscriber.SubscribeCoreAsync<string>("over.tls");
        await subscriber.PingAsync();
        await publisher.PublishAsync("over.tls", "fetched");
        Assert.Equal("fetched", (await NatsClients.ReadAsync(subscription, 1)).Single().Data);
    }

    /// <summary>The error a refused connect ends with, as NATS.Net reports the server's <c>-ERR</c>.</summary>
    private async Task<string> RefusalAsync(string url)
    {
        var error = await Assert.ThrowsAnyAsync<NatsException>(async () => await ConnectAsync(url));
        return error.GetBaseException().Message;
    }

    [Fact]
    public async Task An_account_server_issued_by_the_resolver_tls_ca_serves_the_account()
    {
        var accounts = StartAccountServer();
        await using var broker = await StartBrokerAsync(Config(accounts, Trusting("ca.pem")));
        await AssertPubSubAsync(broker.Url);
        Assert.Equal(1, accounts.Requests[_account.PublicKey]);
        Assert.Equal(0, accounts.FailedHandshakes);
    }

    [Fact]
    public async Task An_account_server_that_asks_for_a_client_certificate_gets_the_resolver_tls_one()
    {
        var accounts = StartAccountServer(requireClientCertificate: true);
        await using var broker = await StartBrokerAsync(Config(accounts, Trusting("ca.pem") + WithClientCertificate("node")));
        await AssertPubSubAsync(broker.Url);
        Assert.Equal(0, accounts.FailedHandshakes);
    }

    [Fact]
    public async Task A_client_certificate_the_account_server_does_not_trust_fails_the_fetch_and_the_connect()
    {
        var accounts = StartAccountServer(requireClientCertificate: true);
        await using var broker = await StartBrokerAsync(Config(accounts, Trusting("ca.pem") + WithClientCertificate("mallory")));
        Assert.Contains("Authorization Violation", await RefusalAsync(broker.Url));
        Assert.True(accounts.FailedHandshakes > 0);
        Assert.False(accounts.Requests.ContainsKey(_account.PublicKey));
        Assert.False(broker.Server.Context.Accounts.TryGet(_account.PublicKey, out _));
    }

    [Fact]
    public async Task An_account_server_from_another_ca_is_not_believed_and_the_connect_is_refused()
    {
        var accounts = StartAccountServer();
        await using var broker = await StartBrokerAsync(Config(accounts, Trusting("other-ca.pem")));
        Assert.Contains("Authorization Violation", await RefusalAsync(broker.Url));
        // The broker dialled but gave up in the handshake: no request reached the server, and the account is not loaded.
        Assert.True(accounts.Accepted > 0);
        Assert.False(accounts.Requests.ContainsKey(_account.PublicKey));
        Assert.False(broker.Server.Context.Accounts.TryGet(_account.PublicKey, out _));
    }

    [NatsServerFact]
    public async Task The_right_ca_admits_the_accounts_users_as_nats_server_does_and_a_lost_account_server_refuses_them_alike()
    {
        var accounts = StartAccountServer();
        var config = ConfigWithoutSystemAccount(accounts, Trusting("ca.pem"));
        await using var nats = await NatsServerProcess.StartAsync(config);
        await using var broker = await StartBrokerAsync(config);
        var theirs = $"nats://127.0.0.1:{nats.Port}";
        await AssertPubSubAsync(theirs);
        await AssertPubSubAsync(broker.Url);

        // An account neither has fetched yet, once the account server is gone: refused alike.
        using var other = NKeyPair.Create(NKeyType.Account);
        accounts.Jwts[other.PublicKey] = _setup.AccountJwt(other);
        await accounts.DisposeAsync();
        _accounts = null;
        async Task<string> RefusalOfOtherAsync(string url)
        {
            using var user = NKeyPair.Create(NKeyType.User);
            var error = await Assert.ThrowsAnyAsync<NatsException>(async () => await OperatorSetup.ConnectAsync(url, other, user));
            return error.GetBaseException().Message;
        }
        var refusal = await RefusalOfOtherAsync(theirs);
        Assert.Contains("Authorization Violation", refusal);
        Assert.Equal(refusal, await RefusalOfOtherAsync(broker.Url));
    }

    /// <summary>
    /// nats-server 2.9.10 asks the account server for the base URL at start and exits when that
    /// fails ("could not fetch ... x509: certificate signed by unknown authority"); Broker starts
    /// and refuses each connect of an account it cannot fetch instead (the difference is kept:
    /// a server that cannot reach its account server at start still serves its other accounts).
    /// </summary>
    [NatsServerFact]
    public async Task A_wrong_ca_stops_nats_server_at_start_and_refuses_the_accounts_users_on_broker()
    {
        var accounts = StartAccountServer();
        var config = ConfigWithoutSystemAccount(accounts, Trusting("other-ca.pem"));
        var exit = await Assert.ThrowsAsync<InvalidOperationException>(async () => await NatsServerProcess.StartAsync(config));
        Assert.Contains("x509: certificate signed by unknown authority", exit.Message);
        await using var broker = await StartBrokerAsync(config);
        Assert.Contains("Authorization Violation", await RefusalAsync(broker.Url));
    }
}
