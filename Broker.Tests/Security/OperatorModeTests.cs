using Broker.Configuration;
using Broker.Jwt;
using Broker.NKeys;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Security;

/// <summary>
/// Decentralized security end to end: an operator signs accounts, accounts (and their signing
/// keys) sign users; the server holds only public keys and JWTs, and clients bring .creds.
/// </summary>
public sealed class OperatorModeTests : IDisposable
{
    private readonly NKeyPair _operator = NKeyPair.Create(NKeyType.Operator);
    private readonly NKeyPair _accountA = NKeyPair.Create(NKeyType.Account);
    private readonly NKeyPair _accountB = NKeyPair.Create(NKeyType.Account);
    private readonly NKeyPair _accountC = NKeyPair.Create(NKeyType.Account);
    private readonly NKeyPair _signingKeyA = NKeyPair.Create(NKeyType.Account);
    private readonly NKeyPair _revokedUser = NKeyPair.Create(NKeyType.User);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"broker-op-{Guid.NewGuid():N}");

    public OperatorModeTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        foreach (var key in new[] { _operator, _accountA, _accountB, _accountC, _signingKeyA, _revokedUser }) key.Dispose();
    }

    private string OperatorJwt() => JwtEncoder.Encode(new OperatorClaims { Subject = _operator.PublicKey, Name = "test-operator" }, _operator);

    private string AccountAJwt()
    {
        var claims = AccountClaims.For(_accountA.PublicKey);
        claims.Name = "A";
        claims.Nats.SigningKeys = [];
        claims.Nats.SigningKeys.Add(_signingKeyA.PublicKey);
        claims.Nats.Revocations = new RevocationList();
        claims.Nats.Revocations.Revoke(_revokedUser.PublicKey, DateTimeOffset.UtcNow.AddMinutes(1));
        claims.Nats.Exports =
        [
            new Export { Subject = "svc.>", Type = ExportTypes.Service },
            new Export { Subject = "priv.>", Type = ExportTypes.Stream, TokenRequired = true },
        ];
        return JwtEncoder.Encode(claims, _operator);
    }

    private string ImporterJwt(NKeyPair account, string name, bool withActivation)
    {
        var claims = AccountClaims.For(account.PublicKey);
        claims.Name = name;
        string? token = null;
        if (withActivation)
        {
            var activation = new ActivationClaims { Subject = account.PublicKey };
            activation.Nats.ImportSubject = "priv.>";
            activation.Nats.ImportType = ExportTypes.Stream;
            token = JwtEncoder.Encode(activation, _accountA);
        }
        claims.Nats.Imports =
        [
            new Import { Account = _accountA.PublicKey, Subject = "svc.help", LocalSubject = "help", Type = ExportTypes.Service },
            new Import { Account = _accountA.PublicKey, Subject = "priv.>", Type = ExportTypes.Stream, Token = token },
        ];
        return JwtEncoder.Encode(claims, _operator);
    }

    private string Config() => $$"""
        operator: "{{OperatorJwt()}}"
        resolver: MEMORY
        resolver_preload {
          {{_accountA.PublicKey}}: "{{AccountAJwt()}}"
          {{_accountB.PublicKey}}: "{{ImporterJwt(_accountB, "B", withActivation: true)}}"
          {{_accountC.PublicKey}}: "{{ImporterJwt(_accountC, "C", withActivation: false)}}"
        }
        """;

    private Task<TestBroker> StartAsync() => TestBroker.StartAsync(o => BrokerConfigLoader.Parse(Config()) with { Host = o.Host, Port = o.Port });

    /// <summary>A .creds file for a new user of <paramref name="account"/>, signed by <paramref name="signer"/>.</summary>
    private string Creds(NKeyPair account, NKeyPair signer, Action<UserClaims>? shape = null, NKeyPair? user = null)
    {
        user ??= NKeyPair.Create(NKeyType.User);
        var claims = UserClaims.For(user.PublicKey);
        if (!ReferenceEquals(account, signer)) claims.Nats.IssuerAccount = account.PublicKey;
        shape?.Invoke(claims);
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.creds");
        File.WriteAllText(path, CredsFile.Format(JwtEncoder.Encode(claims, signer), user.Seed));
        return path;
    }

    private static Task<NatsConnection> ConnectAsync(TestBroker broker, string creds) =>
        NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = NatsAuthOpts.Default with { CredsFile = creds } });

    private static async Task AssertRefusedAsync(TestBroker broker, string creds)
    {
        await using var client = new NatsConnection(NatsOpts.Default with
        {
            Url = broker.Url, AuthOpts = NatsAuthOpts.Default with { CredsFile = creds }, MaxReconnectRetry = 0, ConnectTimeout = TimeSpan.FromSeconds(20),
        });
        var error = await Assert.ThrowsAnyAsync<NatsException>(async () => await client.ConnectAsync());
        Assert.Contains("Authorization Violation", error.ToString());
    }

    [Fact]
    public async Task Users_signed_by_their_account_or_its_signing_key_connect_into_that_account()
    {
        await using var broker = await StartAsync();
        await using var direct = await ConnectAsync(broker, Creds(_accountA, _accountA));
        await using var viaSigningKey = await ConnectAsync(broker, Creds(_accountA, _signingKeyA));
        await using var sub = await direct.SubscribeCoreAsync<string>("in.a");
        await direct.PingAsync();
        await viaSigningKey.PublishAsync("in.a", "same account");
        Assert.Equal("same account", (await NatsClients.ReadAsync(sub, 1)).Single().Data);
        Assert.All(broker.Server.Context.Connections.Values, c => Assert.Equal(_accountA.PublicKey, c.Account.Name));
    }

    [Fact]
    public async Task Expired_revoked_foreign_and_unsigned_users_are_refused()
    {
        await using var broker = await StartAsync();
        await AssertRefusedAsync(broker, Creds(_accountA, _accountA, c => c.Expires = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds()));
        await AssertRefusedAsync(broker, Creds(_accountA, _accountA, user: _revokedUser));
        using var unknownAccount = NKeyPair.Create(NKeyType.Account);
        await AssertRefusedAsync(broker, Creds(unknownAccount, unknownAccount));

        // A JWT without the signature of its nonce proves nothing (unless it is a bearer token).
        await using var raw = await RawClient.ConnectAsync(broker.Port);
        using var user = NKeyPair.Create(NKeyType.User);
        var jwt = JwtEncoder.Encode(UserClaims.For(user.PublicKey), _accountA);
        await raw.SendAsync($"CONNECT {{\"verbose\":false,\"jwt\":\"{jwt}\"}}\r\nPING\r\n");
        Assert.Equal("-ERR 'Authorization Violation'\r\n", await raw.ReadToCloseAsync());
    }

    [Fact]
    public async Task A_bearer_token_needs_no_nonce_signature()
    {
        await using var broker = await StartAsync();
        using var user = NKeyPair.Create(NKeyType.User);
        var claims = UserClaims.For(user.PublicKey);
        claims.Nats.BearerToken = true;
        await using var raw = await RawClient.ConnectAsync(broker.Port);
        await raw.SendAsync($"CONNECT {{\"verbose\":false,\"jwt\":\"{JwtEncoder.Encode(claims, _accountA)}\"}}\r\nPING\r\n");
        Assert.Equal("PONG\r\n", await raw.ReadLineAsync());
    }

    [Fact]
    public async Task Source_networks_time_windows_and_connection_types_in_the_user_jwt_are_enforced()
    {
        await using var broker = await StartAsync();
        var now = DateTime.UtcNow.TimeOfDay;
        string Clock(TimeSpan t) => TimeSpan.FromSeconds(Math.Floor(((t.TotalSeconds % 86400) + 86400) % 86400)).ToString(@"hh\:mm\:ss");

        await using (var loopback = await ConnectAsync(broker, Creds(_accountA, _accountA, c => c.Nats.Src = ["127.0.0.0/8"]))) await loopback.PingAsync();
        await AssertRefusedAsync(broker, Creds(_accountA, _accountA, c => c.Nats.Src = ["10.1.0.0/16", "192.168.1.7"]));

        await using (var inWindow = await ConnectAsync(broker, Creds(_accountA, _accountA, c =>
            c.Nats.Times = [new TimeRange { Start = Clock(now - TimeSpan.FromHours(1)), End = Clock(now + TimeSpan.FromHours(1)) }])))
            await inWindow.PingAsync();
        await AssertRefusedAsync(broker, Creds(_accountA, _accountA, c =>
            c.Nats.Times = [new TimeRange { Start = Clock(now + TimeSpan.FromHours(2)), End = Clock(now + TimeSpan.FromHours(3)) }]));

        await using (var standard = await ConnectAsync(broker, Creds(_accountA, _accountA, c => c.Nats.AllowedConnectionTypes = ["STANDARD"]))) await standard.PingAsync();
        await AssertRefusedAsync(broker, Creds(_accountA, _accountA, c => c.Nats.AllowedConnectionTypes = ["WEBSOCKET"]));
    }

    [Fact]
    public async Task Jwt_permissions_apply()
    {
        await using var broker = await StartAsync();
        var creds = Creds(_accountA, _accountA, c => c.Nats.Pub = new Permission { Allow = ["allowed.>"] });
        await using var client = await ConnectAsync(broker, creds);
        await using var raw = await RawClient.ConnectAsync(broker.Port);
        await using var sub = await client.SubscribeCoreAsync<string>("allowed.x");
        await client.PublishAsync("denied", "x");
        await client.PublishAsync("allowed.x", "ok");
        Assert.Equal("ok", (await NatsClients.ReadAsync(sub, 1)).Single().Data);
        var connection = broker.Server.Context.Connections.Values.Single(c => c.Permissions is not null);
        Assert.False(connection.Permissions!.CanPublish("denied"u8));
    }

    [Fact]
    public async Task Service_import_and_a_private_stream_with_an_activation_token_cross_accounts()
    {
        await using var broker = await StartAsync();
        await using var a = await ConnectAsync(broker, Creds(_accountA, _accountA));
        await using var b = await ConnectAsync(broker, Creds(_accountB, _accountB));
        await using var c = await ConnectAsync(broker, Creds(_accountC, _accountC));
        await using var service = await a.SubscribeCoreAsync<string>("svc.help");
        await using var privateInB = await b.SubscribeCoreAsync<string>("priv.>");
        await using var privateInC = await c.SubscribeCoreAsync<string>(">");
        await a.PingAsync();
        await b.PingAsync();
        await c.PingAsync();
        var responder = Task.Run(async () => await (await NatsClients.ReadAsync(service, 1)).Single().ReplyAsync("helped"));

        Assert.Equal("helped", (await b.RequestAsync<string, string>("help", "please")).Data);
        await responder;
        await a.PublishAsync("priv.news", "for B only");
        await a.PingAsync();

        Assert.Equal("for B only", (await NatsClients.ReadAsync(privateInB, 1)).Single().Data);
        // C imported the private stream without an activation: the import was left out, and the log says why.
        Assert.Contains(broker.Log.Lines, l => l.Contains(_accountC.PublicKey) && l.Contains("the export is private and the import has no valid activation token"));
        await c.PublishAsync("c.marker", "marker");
        Assert.Equal("c.marker", (await NatsClients.ReadAsync(privateInC, 1)).Single().Subject);
    }

    [Fact]
    public void Account_jwts_not_signed_by_the_operator_are_refused_at_start()
    {
        using var otherOperator = NKeyPair.Create(NKeyType.Operator);
        var foreign = JwtEncoder.Encode(AccountClaims.For(_accountB.PublicKey), otherOperator);
        var config = $"operator: \"{OperatorJwt()}\"\nresolver: MEMORY\nresolver_preload {{\n  {_accountB.PublicKey}: \"{foreign}\"\n}}\n";
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse(config));
        Assert.Contains("account JWT not accepted: UntrustedIssuer", error.Message);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Directory_resolver_reads_account_jwts_from_files()
    {
        var jwts = Path.Combine(_directory, "jwt");
        Directory.CreateDirectory(jwts);
        File.WriteAllText(Path.Combine(jwts, $"{_accountA.PublicKey}.jwt"), AccountAJwt());
        File.WriteAllText(Path.Combine(_directory, "operator.jwt"), OperatorJwt());
        // nats-server refuses a built-in resolver without a system account.
        var options = BrokerConfigLoader.Parse($"operator: operator.jwt\nsystem_account: {_accountA.PublicKey}\nresolver {{ type: full, dir: jwt }}\n", "test", _directory);
        Assert.Equal([_accountA.PublicKey], options.Accounts.Select(a => a.Name));
        Assert.Equal(2, options.Accounts[0].Exports.Count);
    }
}
