using System.Text.Json;
using Broker.Configuration;
using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Accounts;

/// <summary>The service latency sample against nats-server's for the same accounts and request: the same JSON keys.</summary>
public class ServiceLatencyDifferentialTests
{
    private const string Config = """
        accounts {
          A {
            users: [ { user: a, password: pa } ]
            exports: [ { service: "timed.>", latency: { sampling: "100%", subject: "lat.timed" } } ]
          }
          B {
            users: [ { user: b, password: pb } ]
            imports: [ { service: { account: A, subject: "timed.op" } } ]
          }
        }
        """;

    private static async Task<JsonElement> SampleAsync(string url)
    {
        await using var a = await NatsClients.ConnectAsync(url, o => o with { AuthOpts = NatsAuthOpts.Default with { Username = "a", Password = "pa" } });
        await using var b = await NatsClients.ConnectAsync(url, o => o with { AuthOpts = NatsAuthOpts.Default with { Username = "b", Password = "pb" } });
        await using var latency = await a.SubscribeCoreAsync<string>("lat.timed");
        await using var service = await a.SubscribeCoreAsync<string>("timed.op");
        await a.PingAsync();
        var responder = Task.Run(async () => await (await NatsClients.ReadAsync(service, 1)).Single().ReplyAsync("done"));
        await b.RequestAsync<string, string>("timed.op", "go");
        await responder;
        return JsonDocument.Parse((await NatsClients.ReadAsync(latency, 1, timeoutSeconds: 20)).Single().Data!).RootElement.Clone();
    }

    [NatsServerFact]
    public async Task Sample_has_nats_servers_keys()
    {
        await using var nats = await NatsServerProcess.StartAsync(Config);
        await using var broker = await TestBroker.StartAsync(o => BrokerConfigLoader.Parse(Config) with { Host = o.Host, Port = o.Port });

        var theirs = await SampleAsync($"nats://127.0.0.1:{nats.Port}");
        var ours = await SampleAsync(broker.Url);

        Assert.Equal(theirs.GetProperty("type").GetString(), ours.GetProperty("type").GetString());
        var expected = JsonShape.Of(System.Text.Json.Nodes.JsonNode.Parse(theirs.GetRawText()));
        var actual = JsonShape.Of(System.Text.Json.Nodes.JsonNode.Parse(ours.GetRawText()));
        Assert.True(expected.SequenceEqual(actual), JsonShape.Diff(expected, actual) + $"\nnats-server: {theirs}\nours: {ours}");
    }
}
