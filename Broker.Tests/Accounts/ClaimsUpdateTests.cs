using System.Text.Json;
using Broker.Configuration;
using Broker.Jwt;
using Broker.NKeys;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Accounts;

/// <summary>Account JWTs replaced and added at run time through <c>$SYS.REQ.CLAIMS.UPDATE</c>.</summary>
public sealed class ClaimsUpdateTests : IDisposable
{
    private readonly NKeyPair _operator = NKeyPair.Create(NKeyType.Operator);
    private readonly NKeyPair _system = NKeyPair.Create(NKeyType.Account);
    private readonly NKeyPair _accountA = NKeyPair.Create(NKeyType.Account);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"broker-claims-{Guid.NewGuid():N}");

    public ClaimsUpdateTests() => Directory.CreateDirectory(Path.Combine(_directory, "jwt"));

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        _operator.Dispose();
        _system.Dispose();
        _accountA.Dispose();
    }

    private string AccountJwt(NKeyPair account, Action<AccountClaims>? shape = null, NKeyPair? signer = null, DateTimeOffset? issuedAt = null)
    {
        var claims = AccountClaims.For(account.PublicKey);
        shape?.Invoke(claims);
        return JwtEncoder.Encode(claims, signer ?? _operator, issuedAt);
    }

    private async Task<TestBroker> StartAsync()
    {
        File.WriteAllText(Path.Combine(_directory, "jwt", $"{_system.PublicKey}.jwt"), AccountJwt(_system));
        File.WriteAllText(Path.Combine(_directory, "jwt", $"{_accountA.PublicKey}.jwt"),
            AccountJwt(_accountA, c => c.Nats.Exports = [new Export { Subject = "svc.help", Type = ExportTypes.Service }]));
        var operatorJwt = JwtEncoder.Encode(new OperatorClaims { Subject = _operator.PublicKey }, _operator);
        var config = $"operator: \"{operatorJwt}\"\nsystem_account: {_system.PublicKey}\nresolver {{ type: full, dir: jwt }}\n";
        return await TestBroker.StartAsync(o => BrokerConfigLoader.Parse(config, "test", _directory) with { Host = o.Host, Port = o.Port });
    }

    private static string UserJwt(NKeyPair account, NKeyPair user, DateTimeOffset? issuedAt = null) =>
        JwtEncoder.Encode(UserClaims.For(user.PublicKey), account, issuedAt);

    private static Task<NatsConnection> ConnectAsync(TestBroker broker, NKeyPair account, NKeyPair user, DateTimeOffset? issuedAt = null) =>
        NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = NatsAuthOpts.Default with { Jwt = UserJwt(account, user, issuedAt), Seed = user.Seed }, MaxReconnectRetry = 0 });

    private static async Task<JsonElement> UpdateAsync(NatsConnection system, string jwt, string subject = "$SYS.REQ.CLAIMS.UPDATE")
    {
        var reply = await system.RequestAsync<string, string>(subject, jwt);
        return JsonDocument.Parse(reply.Data!).RootElement.Clone();
    }

    [Fact]
    public async Task A_new_account_arrives_at_run_time_with_its_imports()
    {
        await using var broker = await StartAsync();
        using var sysUser = NKeyPair.Create(NKeyType.User);
        await using var system = await ConnectAsync(broker, _system, sysUser);
        using var accountD = NKeyPair.Create(NKeyType.Account);
        using var userD = NKeyPair.Create(NKeyType.User);
        await Assert.ThrowsAnyAsync<NatsException>(async () => await ConnectAsync(broker, accountD, userD));

        var response = await UpdateAsync(system, AccountJwt(accountD, c => c.Nats.Imports =
            [new Import { Account = _accountA.PublicKey, Subject = "svc.help", LocalSubject = "help", Type = ExportTypes.Service }]));
        Assert.Equal(accountD.PublicKey, response.GetProperty("data").GetProperty("account").GetString());
        Assert.Equal("jwt updated", response.GetProperty("data").GetProperty("message").GetString());
        Assert.True(File.Exists(Path.Combine(_directory, "jwt", $"{accountD.PublicKey}.jwt")));

        using var userA = NKeyPair.Create(NKeyType.User);
        await using var a = await ConnectAsync(broker, _accountA, userA);
        await using var service = await a.SubscribeCoreAsync<string>("svc.help");
        await a.PingAsync();
        var responder = Task.Run(async () => await (await NatsClients.ReadAsync(service, 1)).Single().ReplyAsync("from A"));
        await using var d = await ConnectAsync(broker, accountD, userD);
        Assert.Equal("from A", (await d.RequestAsync<string, string>("help", "hi")).Data);
        await responder;
    }

    [Fact]
    public async Task An_updated_account_revokes_a_user_for_new_connections()
    {
        await using var broker = await StartAsync();
        using var sysUser = NKeyPair.Create(NKeyType.User);
        await using var system = await ConnectAsync(broker, _system, sysUser);
        using var user = NKeyPair.Create(NKeyType.User);
        var issued = DateTimeOffset.UtcNow.AddMinutes(-5);
        await using (var before = await ConnectAsync(broker, _accountA, user, issued)) await before.PingAsync();

        var revoking = AccountJwt(_accountA, c =>
        {
            c.Nats.Revocations = new RevocationList();
            c.Nats.Revocations.Revoke(user.PublicKey, DateTimeOffset.UtcNow);
        });
        var response = await UpdateAsync(system, revoking, $"$SYS.REQ.ACCOUNT.{_accountA.PublicKey}.CLAIMS.UPDATE");
        Assert.Equal("jwt updated", response.GetProperty("data").GetProperty("message").GetString());

        await Assert.ThrowsAnyAsync<NatsException>(async () => await ConnectAsync(broker, _accountA, user, issued));
    }

    [Fact]
    public async Task A_jwt_not_signed_by_the_operator_is_refused_with_an_error()
    {
        await using var broker = await StartAsync();
        using var sysUser = NKeyPair.Create(NKeyType.User);
        await using var system = await ConnectAsync(broker, _system, sysUser);
        using var otherOperator = NKeyPair.Create(NKeyType.Operator);
        using var stranger = NKeyPair.Create(NKeyType.Account);

        var response = await UpdateAsync(system, AccountJwt(stranger, signer: otherOperator));
        var error = response.GetProperty("error");
        Assert.Equal(500, error.GetProperty("code").GetInt32());
        Assert.Contains("UntrustedIssuer", error.GetProperty("description").GetString());
        Assert.False(File.Exists(Path.Combine(_directory, "jwt", $"{stranger.PublicKey}.jwt")));

        var wrongSubject = await UpdateAsync(system, AccountJwt(stranger), $"$SYS.REQ.ACCOUNT.{_accountA.PublicKey}.CLAIMS.UPDATE");
        // nats-server's words, with the account the subject names.
        Assert.Equal("jwt update resulted in error - subject does not match jwt content", wrongSubject.GetProperty("error").GetProperty("description").GetString());
        Assert.Equal(_accountA.PublicKey, wrongSubject.GetProperty("error").GetProperty("account").GetString());
    }
}
