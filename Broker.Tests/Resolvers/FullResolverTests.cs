using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Broker.Configuration;
using Broker.Jwt;
using Broker.NKeys;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Resolvers;

/// <summary>
/// <c>resolver { type: full }</c> on one server: its flat <c>&lt;dir&gt;/&lt;key&gt;.jwt</c> store and the
/// system account's requests (UPDATE, LOOKUP, LIST, PACK, DELETE) with nats-server's bodies.
/// </summary>
public sealed class FullResolverTests : IDisposable
{
    private readonly OperatorSetup _setup = new();
    private readonly NKeyPair _accountA = NKeyPair.Create(NKeyType.Account);
    private readonly NKeyPair _accountB = NKeyPair.Create(NKeyType.Account);

    public void Dispose()
    {
        _accountA.Dispose();
        _accountB.Dispose();
        _setup.Dispose();
    }

    private string JwtDirectory => Path.Combine(_setup.Directory, "jwt");

    private Task<TestBroker> StartAsync(string options = "")
    {
        _setup.Store(JwtDirectory, _setup.System);
        _setup.Store(JwtDirectory, _accountA);
        var config = _setup.Config($"{{ type: full, dir: jwt {options} }}");
        return TestBroker.StartAsync(o => BrokerConfigLoader.Parse(config, "test", _setup.Directory) with { Host = o.Host, Port = o.Port });
    }

    private static Task<NatsConnection> ConnectAsync(TestBroker broker, NKeyPair account) =>
        OperatorSetup.ConnectAsync(broker.Url, account, NKeyPair.Create(NKeyType.User));

    private static async Task<string?> RequestRawAsync(NatsConnection connection, string subject, byte[] body, double timeoutSeconds = 5) =>
        Encoding.UTF8.GetString((await connection.RequestAsync<byte[], byte[]>(subject, body,
            replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromSeconds(timeoutSeconds) })).Data ?? []);

    /// <summary>A delete request as nsc sends it: generic claims signed by <paramref name="signer"/>, naming <paramref name="accounts"/>.</summary>
    private static string DeleteRequest(NKeyPair signer, string subject, params string[] accounts)
    {
        var claims = new GenericClaims { Subject = subject };
        claims.Nats.Data = new Dictionary<string, JsonElement> { ["accounts"] = JsonSerializer.SerializeToElement(accounts) };
        return JwtEncoder.Encode(claims, signer);
    }

    [Fact]
    public async Task An_update_is_stored_flat_and_answered_with_the_server_and_data()
    {
        await using var broker = await StartAsync();
        await using var system = await ConnectAsync(broker, _setup.System);
        var jwt = _setup.AccountJwt(_accountB);

        var reply = await OperatorSetup.RequestJsonAsync(system, "$SYS.REQ.CLAIMS.UPDATE", jwt);
        Assert.Equal(new[] { "server", "data" }, reply.EnumerateObject().Select(p => p.Name));
        Assert.Equal(broker.Server.Context.ServerId, reply.GetProperty("server").GetProperty("id").GetString());
        var data = reply.GetProperty("data");
        Assert.Equal(_accountB.PublicKey, data.GetProperty("account").GetString());
        Assert.Equal(200, data.GetProperty("code").GetInt32());
        Assert.Equal("jwt updated", data.GetProperty("message").GetString());
        Assert.Equal(jwt, File.ReadAllText(Path.Combine(JwtDirectory, $"{_accountB.PublicKey}.jwt")));
        await using var b = await ConnectAsync(broker, _accountB);
    }

    [Fact]
    public async Task Lookup_answers_the_raw_jwt_and_stays_silent_for_an_account_it_does_not_have()
    {
        await using var broker = await StartAsync();
        await using var system = await ConnectAsync(broker, _setup.System);
        var stored = File.ReadAllText(Path.Combine(JwtDirectory, $"{_accountA.PublicKey}.jwt"));
        Assert.Equal(stored, await RequestRawAsync(system, $"$SYS.REQ.ACCOUNT.{_accountA.PublicKey}.CLAIMS.LOOKUP", []));
        await Assert.ThrowsAsync<NatsNoReplyException>(async () =>
            await RequestRawAsync(system, $"$SYS.REQ.ACCOUNT.{_accountB.PublicKey}.CLAIMS.LOOKUP", [], timeoutSeconds: 1));
    }

    [Fact]
    public async Task List_names_every_stored_account()
    {
        await using var broker = await StartAsync();
        await using var system = await ConnectAsync(broker, _setup.System);
        await OperatorSetup.RequestJsonAsync(system, "$SYS.REQ.CLAIMS.UPDATE", _setup.AccountJwt(_accountB));
        var reply = await OperatorSetup.RequestJsonAsync(system, "$SYS.REQ.CLAIMS.LIST", "");
        Assert.Equal(broker.Server.Context.ServerId, reply.GetProperty("server").GetProperty("id").GetString());
        var listed = reply.GetProperty("data").EnumerateArray().Select(e => e.GetString()!).Order().ToList();
        Assert.Equal(new[] { _setup.System.PublicKey, _accountA.PublicKey, _accountB.PublicKey }.Order().ToList(), listed);
    }

    [Fact]
    public async Task Pack_sends_every_jwt_then_an_empty_message_or_only_the_empty_message_when_hashes_match()
    {
        await using var broker = await StartAsync();
        await using var system = await ConnectAsync(broker, _setup.System);
        var stored = Directory.GetFiles(JwtDirectory, "*.jwt").ToDictionary(f => Path.GetFileNameWithoutExtension(f), File.ReadAllText);
        var hash = new byte[32];
        foreach (var jwt in stored.Values)
        {
            var one = SHA256.HashData(Encoding.UTF8.GetBytes(jwt));
            for (var i = 0; i < 32; i++) hash[i] ^= one[i];
        }

        async Task<List<string>> PackAsync(byte[] theirHash)
        {
            var inbox = system.NewInbox();
            await using var replies = await system.SubscribeCoreAsync<byte[]>(inbox);
            await system.PingAsync();
            await system.PublishAsync("$SYS.REQ.CLAIMS.PACK", theirHash, replyTo: inbox);
            var messages = new List<string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await foreach (var message in replies.Msgs.ReadAllAsync(timeout.Token))
            {
                var text = Encoding.UTF8.GetString(message.Data ?? []);
                if (text.Length == 0) break;
                messages.Add(text);
            }
            return messages;
        }

        Assert.Empty(await PackAsync(hash));
        var lines = (await PackAsync(new byte[32])).SelectMany(m => m.Split('\n')).ToList();
        Assert.Equal(stored.Select(s => $"{s.Key}|{s.Value}").Order(), lines.Order());
    }

    [Fact]
    public async Task Delete_removes_the_named_accounts_when_allowed_and_signed_by_the_operator()
    {
        await using var broker = await StartAsync(", allow_delete: true");
        await using var system = await ConnectAsync(broker, _setup.System);
        await using (await ConnectAsync(broker, _accountA))
        {
        }

        var reply = await OperatorSetup.RequestJsonAsync(system, "$SYS.REQ.CLAIMS.DELETE", DeleteRequest(_setup.Operator, _setup.Operator.PublicKey, _accountA.PublicKey));
        Assert.Equal("deleted 1 accounts", reply.GetProperty("data").GetProperty("message").GetString());
        Assert.False(reply.GetProperty("data").TryGetProperty("account", out _));
        Assert.False(File.Exists(Path.Combine(JwtDirectory, $"{_accountA.PublicKey}.jwt")));
        Assert.True(File.Exists(Path.Combine(JwtDirectory, $"{_accountA.PublicKey}.jwt.deleted")));
        var error = await Assert.ThrowsAnyAsync<NatsException>(async () => await ConnectAsync(broker, _accountA));
        Assert.Contains("Authorization Violation", error.ToString());
    }

    [Fact]
    public async Task Delete_requests_that_are_not_allowed_get_nats_servers_errors_and_change_nothing()
    {
        await using var broker = await StartAsync(", allow_delete: true");
        await using var system = await ConnectAsync(broker, _setup.System);
        using var otherOperator = NKeyPair.Create(NKeyType.Operator);
        var cases = new (string Request, string Description)[]
        {
            (DeleteRequest(_accountA, _accountA.PublicKey, _accountA.PublicKey), $"delete accounts request by {_accountA.PublicKey} failed - not trusted"),
            (DeleteRequest(_setup.Operator, _accountA.PublicKey, _accountA.PublicKey), $"delete accounts request by {_accountA.PublicKey} failed - not self signed"),
            (DeleteRequest(otherOperator, otherOperator.PublicKey, _accountA.PublicKey), $"delete accounts request by {otherOperator.PublicKey} failed - not trusted"),
            (DeleteRequest(_setup.Operator, _setup.Operator.PublicKey, "not-a-key"), $"delete accounts request by {_setup.Operator.PublicKey} failed - malformed request"),
            (DeleteRequest(_setup.Operator, _setup.Operator.PublicKey, _setup.System.PublicKey),
                $"delete accounts request by {_setup.Operator.PublicKey} failed - not allowed to delete system account"),
        };
        foreach (var (request, description) in cases)
        {
            var reply = await OperatorSetup.RequestJsonAsync(system, "$SYS.REQ.CLAIMS.DELETE", request);
            Assert.Equal(500, reply.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(description, reply.GetProperty("error").GetProperty("description").GetString());
        }
        Assert.True(File.Exists(Path.Combine(JwtDirectory, $"{_accountA.PublicKey}.jwt")));
        await using var a = await ConnectAsync(broker, _accountA);
    }

    [Fact]
    public async Task Delete_without_allow_delete_is_refused()
    {
        await using var broker = await StartAsync();
        await using var system = await ConnectAsync(broker, _setup.System);
        var reply = await OperatorSetup.RequestJsonAsync(system, "$SYS.REQ.CLAIMS.DELETE", DeleteRequest(_setup.Operator, _setup.Operator.PublicKey, _accountA.PublicKey));
        Assert.Equal($"delete accounts request by {_setup.Operator.PublicKey} failed - delete must be enabled in server config",
            reply.GetProperty("error").GetProperty("description").GetString());
        Assert.True(File.Exists(Path.Combine(JwtDirectory, $"{_accountA.PublicKey}.jwt")));
    }

    [Fact]
    public async Task A_store_at_its_limit_refuses_new_accounts_but_takes_updates_of_stored_ones()
    {
        await using var broker = await StartAsync(", limit: 2");
        await using var system = await ConnectAsync(broker, _setup.System);
        var refused = await OperatorSetup.RequestJsonAsync(system, "$SYS.REQ.CLAIMS.UPDATE", _setup.AccountJwt(_accountB));
        Assert.Equal("jwt update resulted in error - jwt store is full", refused.GetProperty("error").GetProperty("description").GetString());
        Assert.False(File.Exists(Path.Combine(JwtDirectory, $"{_accountB.PublicKey}.jwt")));
        var updated = await OperatorSetup.RequestJsonAsync(system, "$SYS.REQ.CLAIMS.UPDATE", _setup.AccountJwt(_accountA, c => c.Name = "again"));
        Assert.Equal("jwt updated", updated.GetProperty("data").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Bad_jwts_on_every_update_subject_get_error_replies_and_change_nothing()
    {
        await using var broker = await StartAsync();
        await using var system = await ConnectAsync(broker, _setup.System);
        using var otherOperator = NKeyPair.Create(NKeyType.Operator);
        var path = Path.Combine(JwtDirectory, $"{_accountA.PublicKey}.jwt");
        var before = File.ReadAllText(path);
        var bad = new[]
        {
            "not.a.jwt",
            "garbage",
            _setup.AccountJwt(_accountA, c => c.Expires = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds()),
            _setup.AccountJwt(_accountA, signer: otherOperator),
            _setup.AccountJwt(_accountA, signer: _accountB),
            _setup.AccountJwt(_accountA, c => c.Name = new string('x', 200_000)) + "tampered",
        };
        var subjects = new[] { "$SYS.REQ.CLAIMS.UPDATE", $"$SYS.REQ.ACCOUNT.{_accountA.PublicKey}.CLAIMS.UPDATE", $"$SYS.ACCOUNT.{_accountA.PublicKey}.CLAIMS.UPDATE" };
        foreach (var subject in subjects)
        {
            foreach (var jwt in bad)
            {
                var reply = await OperatorSetup.RequestJsonAsync(system, subject, jwt);
                var error = reply.GetProperty("error");
                Assert.Equal(500, error.GetProperty("code").GetInt32());
                Assert.StartsWith("jwt update resulted in error - ", error.GetProperty("description").GetString());
            }
        }
        // The JWT of another account on an account's own subject is refused too.
        var mismatch = await OperatorSetup.RequestJsonAsync(system, subjects[1], _setup.AccountJwt(_accountB));
        Assert.Equal(500, mismatch.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(before, File.ReadAllText(path));
        Assert.False(File.Exists(Path.Combine(JwtDirectory, $"{_accountB.PublicKey}.jwt")));
        await using var a = await ConnectAsync(broker, _accountA);
    }
}
