using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Broker.Configuration;
using Broker.Jwt;
using Broker.NKeys;
using Broker.Tests.Differential;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Resolvers;

/// <summary>
/// The full resolver's requests against nats-server 2.9.10 with the same operator, system account
/// and store: the same requests get the same replies, apart from the answering server's identity.
/// </summary>
public sealed class ResolverDifferentialTests : IDisposable
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

    private string Config(string directory) => _setup.Config($"{{ type: full, dir: \"{directory}\", allow_delete: true }}");

    private string PrepareStore(string name, string jwtA)
    {
        var directory = Path.Combine(_setup.Directory, name);
        _setup.Store(directory, _setup.System, _setup.AccountJwt(_setup.System, issuedAt: DateTimeOffset.UtcNow.AddHours(-1)));
        _setup.Store(directory, _accountA, jwtA);
        return directory;
    }

    /// <summary>The reply with the answering server's identity removed (everything else must match).</summary>
    private static string WithoutServer(byte[]? data)
    {
        var text = Encoding.UTF8.GetString(data ?? []);
        if (!text.StartsWith('{')) return text;
        var node = JsonNode.Parse(text)!.AsObject();
        node.Remove("server");
        return node.ToJsonString();
    }

    private static async Task<string> AskAsync(NatsConnection connection, string subject, string body)
    {
        try
        {
            var reply = await connection.RequestAsync<byte[], byte[]>(subject, Encoding.UTF8.GetBytes(body), replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromSeconds(2) });
            return WithoutServer(reply.Data);
        }
        catch (NatsNoReplyException)
        {
            return "(no reply)";
        }
    }

    private string DeleteRequest(NKeyPair signer, string subject, params string[] accounts)
    {
        var claims = new GenericClaims { Subject = subject };
        claims.Nats.Data = new Dictionary<string, JsonElement> { ["accounts"] = JsonSerializer.SerializeToElement(accounts) };
        return JwtEncoder.Encode(claims, signer);
    }

    [NatsServerFact]
    public async Task Claims_requests_get_nats_servers_replies()
    {
        var jwtA = _setup.AccountJwt(_accountA, issuedAt: DateTimeOffset.UtcNow.AddHours(-1));
        var requests = new List<(string Subject, string Body)>
        {
            ("$SYS.REQ.CLAIMS.LIST", ""),
            ($"$SYS.REQ.ACCOUNT.{_accountA.PublicKey}.CLAIMS.LOOKUP", ""),
            ($"$SYS.REQ.ACCOUNT.{_accountB.PublicKey}.CLAIMS.LOOKUP", ""),
            ("$SYS.REQ.CLAIMS.UPDATE", _setup.AccountJwt(_accountB)),
            ($"$SYS.REQ.ACCOUNT.{_accountA.PublicKey}.CLAIMS.UPDATE", _setup.AccountJwt(_accountA, c => c.Name = "renamed")),
            ($"$SYS.REQ.ACCOUNT.{_accountA.PublicKey}.CLAIMS.UPDATE", _setup.AccountJwt(_accountB)),
            // Left out on purpose: nats-server 2.9.10's full resolver stores a JWT signed by an
            // operator it does not trust, or already expired, and answers "jwt updated" (the account
            // then fails to load, or its file expires); Broker refuses both with an error (FullResolverTests).
            ($"$SYS.REQ.ACCOUNT.{_accountA.PublicKey}.CLAIMS.UPDATE", jwtA),
            ("$SYS.REQ.CLAIMS.UPDATE", _setup.AccountJwt(_accountB)),
            ("$SYS.REQ.CLAIMS.UPDATE", "garbage"),
            // Three chunks that are not base64 JSON get Go's JSON error text there, which is not imitated.
            ($"$SYS.REQ.ACCOUNT.{_accountA.PublicKey}.CLAIMS.UPDATE", "two.chunks"),
            ("$SYS.REQ.CLAIMS.LIST", ""),
            ("$SYS.REQ.CLAIMS.DELETE", DeleteRequest(_accountA, _accountA.PublicKey, _accountA.PublicKey)),
            ("$SYS.REQ.CLAIMS.DELETE", DeleteRequest(_setup.Operator, _setup.Operator.PublicKey, _setup.System.PublicKey)),
            ("$SYS.REQ.CLAIMS.DELETE", DeleteRequest(_setup.Operator, _setup.Operator.PublicKey, "nope")),
            ("$SYS.REQ.CLAIMS.DELETE", DeleteRequest(_setup.Operator, _setup.Operator.PublicKey, _accountB.PublicKey)),
            ("$SYS.REQ.CLAIMS.LIST", ""),
        };

        async Task<List<string>> RunAsync(string url)
        {
            await using var system = await _setup.ConnectSystemAsync(url);
            var replies = new List<string>();
            foreach (var (subject, body) in requests) replies.Add(await AskAsync(system, subject, body));
            return replies;
        }

        List<string> theirs;
        await using (var nats = await NatsServerProcess.StartAsync(Config(PrepareStore("theirs", jwtA))))
            theirs = await RunAsync($"nats://127.0.0.1:{nats.Port}");
        var config = Config(PrepareStore("mine", jwtA));
        await using var broker = await TestBroker.StartAsync(o => BrokerConfigLoader.Parse(config, "test", _setup.Directory) with { Host = o.Host, Port = o.Port });
        var mine = await RunAsync(broker.Url);

        var differences = requests.Select((r, i) => (r.Subject, Theirs: Sorted(theirs[i]), Mine: Sorted(mine[i])))
            .Where(d => d.Theirs != d.Mine).Select(d => $"{d.Subject}\n  nats-server: {d.Theirs}\n  broker:      {d.Mine}").ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    /// <summary>A LIST's accounts come in directory order, which differs between servers: compared sorted.</summary>
    private static string Sorted(string reply)
    {
        if (!reply.StartsWith("{\"data\":[", StringComparison.Ordinal)) return reply;
        var node = JsonNode.Parse(reply)!.AsObject();
        var sorted = node["data"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
        return string.Join(",", sorted);
    }
}
