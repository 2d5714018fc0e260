using System.Text.Json.Nodes;
using Broker.Tests.Cluster;
using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Configuration.NatsServerCorpus;

/// <summary>
/// Corpus files started unchanged under nats-server 2.9.10 and under Broker.Host (real processes):
/// the same effective values in /varz, and the same answers to clients (credentials, permissions).
/// </summary>
public class CorpusDifferentialTests
{
    /// <summary>The /varz values a configuration file sets (ports are compared with what each server listens on).</summary>
    private static readonly string[] ConfiguredVarz =
    [
        "host", "auth_required", "auth_timeout", "max_connections", "max_subscriptions", "ping_interval", "ping_max",
        "http_host", "https_port", "max_control_line", "max_payload", "max_pending", "write_deadline", "tls_timeout",
        "system_account", "gateway", "leaf",
    ];

    public static TheoryData<string> Files() =>
    [
        "test/configs/multi_user.conf",
        "test/configs/override.conf",
        "conf/simple.conf",
        "server/configs/authorization.conf",
        "server/configs/new_style_authorization.conf",
        "test/configs/multi_accounts.conf",
        "server/configs/multiple_users.conf",
    ];

    [NatsServerTheory]
    [MemberData(nameof(Files))]
    public async Task Varz_shows_the_same_configuration(string name)
    {
        await using var nats = await CorpusServer.StartNatsServerAsync(name);
        await using var broker = await CorpusServer.StartBrokerAsync(name);
        var (expected, actual) = (await nats.VarzAsync(), await broker.VarzAsync());

        foreach (var key in ConfiguredVarz) Assert.True(JsonNode.DeepEquals(expected[key], actual[key]), $"{name}: varz {key}: nats-server {expected[key]?.ToJsonString()}, Broker {actual[key]?.ToJsonString()}");
        // http_port is not compared: nats-server shows the -1 it was given, Broker the port it listens on.
        Assert.Equal((nats.Port, broker.Port), ((int)expected["port"]!, (int)actual["port"]!));
        Assert.Equal(broker.MonitorPort, (int)actual["http_port"]!);
    }

    [NatsServerFact]
    public async Task Varz_shows_the_same_cluster_name_and_routes()
    {
        const string name = "test/configs/new_cluster.conf";
        var (natsPort, brokerPort) = (TestCluster.FreePort(), TestCluster.FreePort());
        await using var nats = await CorpusServer.StartNatsServerAsync(name, "--cluster", $"nats://127.0.0.1:{natsPort}", "--cluster_name", "corpus");
        await using var broker = await CorpusServer.StartBrokerAsync(name, "--cluster", $"nats://127.0.0.1:{brokerPort}", "--cluster_name", "corpus");
        var (expected, actual) = ((await nats.VarzAsync())["cluster"]!, (await broker.VarzAsync())["cluster"]!);

        foreach (var key in new[] { "name", "addr", "urls", "auth_timeout", "tls_timeout" })
            Assert.True(JsonNode.DeepEquals(expected[key], actual[key]), $"cluster.{key}: nats-server {expected[key]?.ToJsonString()}, Broker {actual[key]?.ToJsonString()}");
        Assert.Equal(["127.0.0.1:5345", "127.0.0.1:5346"], actual["urls"]!.AsArray().Select(u => (string)u!));
        Assert.Equal((natsPort, brokerPort), ((int)expected["cluster_port"]!, (int)actual["cluster_port"]!));

        // No route has been up: neither server lists connect_urls yet, both name the cluster in INFO.
        Assert.Equal((await nats.VarzAsync()).ContainsKey("connect_urls"), (await broker.VarzAsync()).ContainsKey("connect_urls"));
        var infos = new List<JsonObject>();
        foreach (var server in new[] { nats, broker })
        {
            await using var raw = await RawClient.ConnectAsync(server.Port, readInfo: false);
            infos.Add(JsonNode.Parse((await raw.ReadLineAsync())["INFO ".Length..])!.AsObject());
        }
        Assert.Equal("corpus", (string)infos[1]["cluster"]!);
        foreach (var key in new[] { "cluster", "connect_urls" })
            Assert.True(JsonNode.DeepEquals(infos[0][key], infos[1][key]), $"INFO {key}: nats-server {infos[0][key]?.ToJsonString()}, Broker {infos[1][key]?.ToJsonString()}");
    }

    /// <summary>Users of the file, a right and a wrong password each: accepted and refused alike.</summary>
    [NatsServerTheory]
    [InlineData("test/configs/multi_user.conf", "alice", "foo")]
    [InlineData("test/configs/multi_user.conf", "bob", "bar")]
    [InlineData("conf/simple.conf", "alice", "foo")]
    [InlineData("conf/simple.conf", "bob", "bar")]
    [InlineData("test/configs/multi_accounts.conf", "peter", "s3cr3t!")]
    [InlineData("server/configs/authorization.conf", "susan", "baz")]
    public async Task Credentials_are_accepted_and_refused_alike(string name, string user, string password)
    {
        await using var nats = await CorpusServer.StartNatsServerAsync(name);
        await using var broker = await CorpusServer.StartBrokerAsync(name);
        foreach (var server in new[] { nats, broker })
        {
            await using (var good = await ConnectInTimeAsync(server.Url, user, password))
            {
                await good.PingAsync();
            }
            var wrong = await Assert.ThrowsAnyAsync<NatsException>(async () =>
            {
                await using var bad = await NatsClients.ConnectAsync(server.Url, o => o with { AuthOpts = new NatsAuthOpts { Username = user, Password = password + "x" }, MaxReconnectRetry = 0 });
            });
            Assert.Contains("Authorization Violation", wrong.ToString(), StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Some files give clients 0.5 s to authenticate, which a loaded test machine can miss on either
    /// server before CONNECT is even sent; an authentication timeout is tried again, a refusal is not.
    /// </summary>
    private static async Task<NatsConnection> ConnectInTimeAsync(string url, string user, string password)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await NatsClients.ConnectAsync(url, o => o with { AuthOpts = new NatsAuthOpts { Username = user, Password = password }, MaxReconnectRetry = 0 });
            }
            catch (NatsException e) when (attempt < 3 && e.ToString().Contains("Authentication Timeout", StringComparison.Ordinal))
            {
            }
        }
    }

    /// <summary>The same session of one user gets the same lines back, permission errors included.</summary>
    [NatsServerTheory]
    [InlineData("server/configs/authorization.conf", "susan", "baz", "SUB foo 1\r\nSUB PUBLIC.news 2\r\nPUB PUBLIC.news 2\r\nhi\r\n")]
    [InlineData("server/configs/authorization.conf", "bob", "bar", "PUB req.foo 2\r\nhi\r\nPUB other 2\r\nhi\r\nSUB _INBOX.x 1\r\nSUB req.foo 2\r\n")]
    [InlineData("server/configs/new_style_authorization.conf", "alice", "foo", "PUB foo 0\r\n\r\nPUB qux 0\r\n\r\nSUB $SYS.x 1\r\nSUB anything 2\r\n")]
    [InlineData("server/configs/new_style_authorization.conf", "bob", "special", "PUB $SYS.x 0\r\n\r\nPUB foo 0\r\n\r\nSUB foo 1\r\nSUB qux 2\r\n")]
    public async Task Permissions_answer_a_session_alike(string name, string user, string password, string session)
    {
        await using var nats = await CorpusServer.StartNatsServerAsync(name);
        await using var broker = await CorpusServer.StartBrokerAsync(name);
        var expected = await SessionAsync(nats.Port, user, password, session);
        var actual = await SessionAsync(broker.Port, user, password, session);

        Assert.Equal(expected, actual);
        Assert.Contains(expected, l => l.StartsWith("-ERR 'Permissions Violation", StringComparison.Ordinal));
    }

    private static async Task<List<string>> SessionAsync(int port, string user, string password, string session)
    {
        await using var client = await RawClient.ConnectAsync(port);
        await client.SendAsync($"CONNECT {{\"verbose\":false,\"user\":\"{user}\",\"pass\":\"{password}\"}}\r\n{session}PING\r\n");
        var text = await client.ReadUntilAsync("PONG\r\n");
        return text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("PING", StringComparison.Ordinal)).ToList();
    }
}
