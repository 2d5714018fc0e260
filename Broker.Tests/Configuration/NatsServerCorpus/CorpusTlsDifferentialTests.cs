using System.Text.Json.Nodes;
using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Configuration.NatsServerCorpus;

/// <summary>
/// The corpus's TLS files started unchanged under nats-server 2.9.10 and under Broker.Host (real
/// processes): the same TLS values in /varz, and the same answers to a TLS client, a client with
/// wrong credentials, a client without a certificate where one is required, and a plain client.
/// </summary>
public class CorpusTlsDifferentialTests
{
    private static readonly string[] TlsVarz = ["tls_required", "tls_verify", "tls_timeout", "auth_required", "auth_timeout"];

    [NatsServerTheory]
    [InlineData("test/configs/tls.conf")]
    [InlineData("test/configs/tlsverify.conf")]
    [InlineData("server/configs/tls_test.conf")]
    public async Task Varz_shows_the_same_tls_settings(string name)
    {
        await using var nats = await CorpusServer.StartNatsServerAsync(name);
        await using var broker = await CorpusServer.StartBrokerAsync(name);
        var (expected, actual) = (await nats.VarzAsync(), await broker.VarzAsync());

        foreach (var key in TlsVarz) Assert.True(JsonNode.DeepEquals(expected[key], actual[key]), $"{name}: varz {key}: nats-server {expected[key]?.ToJsonString()}, Broker {actual[key]?.ToJsonString()}");
        Assert.True((bool)actual["tls_required"]!);
    }

    [NatsServerFact]
    public async Task A_tls_client_is_accepted_and_refused_alike()
    {
        const string name = "test/configs/tls.conf";
        await using var nats = await CorpusServer.StartNatsServerAsync(name);
        await using var broker = await CorpusServer.StartBrokerAsync(name);
        foreach (var (server, which) in new[] { (nats, "nats-server"), (broker, "Broker") })
        {
            await AcceptsAsync(server, which);
            await RefusesWrongPasswordAsync(server, which);
        }
    }

    [NatsServerFact]
    public async Task A_client_without_a_certificate_is_refused_where_one_is_required()
    {
        const string name = "test/configs/tlsverify.conf";
        await using var nats = await CorpusServer.StartNatsServerAsync(name);
        await using var broker = await CorpusServer.StartBrokerAsync(name);
        foreach (var server in new[] { nats, broker })
        {
            await Assert.ThrowsAnyAsync<NatsException>(async () =>
            {
                await using var client = await ConnectAsync(server, null, null);
                await client.PingAsync();
            });
        }
    }

    /// <summary>A client that ignores <c>tls_required</c> and sends CONNECT in clear gets the same bytes back (none but INFO) and the connection closed.</summary>
    [NatsServerFact]
    public async Task A_plain_client_gets_the_same_answer()
    {
        const string name = "test/configs/tls.conf";
        await using var nats = await CorpusServer.StartNatsServerAsync(name);
        await using var broker = await CorpusServer.StartBrokerAsync(name);
        var answers = new List<string>();
        foreach (var server in new[] { nats, broker })
        {
            await using var raw = await RawClient.ConnectAsync(server.Port, readInfo: false);
            var info = await raw.ReadLineAsync();
            Assert.Contains("\"tls_required\":true", info, StringComparison.Ordinal);
            await raw.SendAsync("CONNECT {\"verbose\":false,\"user\":\"derek\",\"pass\":\"boo\"}\r\nPING\r\n");
            answers.Add(await raw.ReadToCloseAsync(TimeSpan.FromSeconds(15)));
        }
        Assert.Equal(answers[0], answers[1]);
        Assert.DoesNotContain("PONG", answers[1], StringComparison.Ordinal);
    }

    /// <summary>
    /// The file's TLS handshake timeout is 0.25 s, which a loaded test machine can miss on either
    /// server; a handshake that timed out is tried again, a refusal is not.
    /// </summary>
    private static async Task AcceptsAsync(CorpusServer server, string which)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var good = await ConnectAsync(server, "derek", "boo");
                await good.PingAsync();
                return;
            }
            catch (NatsException e) when (attempt < MaxAttempts && !e.ToString().Contains("Authorization Violation", StringComparison.Ordinal))
            {
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{which} refused derek: {e}");
            }
        }
    }

    /// <summary>A wrong password gets "Authorization Violation"; as in <see cref="AcceptsAsync"/>, only a handshake that timed out is tried again.</summary>
    private static async Task RefusesWrongPasswordAsync(CorpusServer server, string which)
    {
        for (var attempt = 1; ; attempt++)
        {
            var wrong = await Assert.ThrowsAnyAsync<NatsException>(async () =>
            {
                await using var bad = await ConnectAsync(server, "derek", "wrong");
            });
            if (wrong.ToString().Contains("Authorization Violation", StringComparison.Ordinal)) return;
            if (attempt == MaxAttempts) throw new Xunit.Sdk.XunitException($"{which} did not answer a wrong password with Authorization Violation: {wrong}");
        }
    }

    /// <summary>Attempts per expectation; each failed one is a missed 0.25 s handshake, not an answer.</summary>
    private const int MaxAttempts = 5;

    private static Task<NatsConnection> ConnectAsync(CorpusServer server, string? user, string? password) =>
        NatsClients.ConnectAsync($"tls://127.0.0.1:{server.Port}", o => o with
        {
            TlsOpts = new NatsTlsOpts { Mode = TlsMode.Require, CaFile = NatsServerCorpusTests.PathOf("test/configs/certs/ca.pem") },
            AuthOpts = user is null ? NatsAuthOpts.Default : NatsAuthOpts.Default with { Username = user, Password = password },
            MaxReconnectRetry = 0,
        });
}
