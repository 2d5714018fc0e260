using System.Net;
using System.Text.Json.Nodes;
using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using static Broker.Tests.Monitoring.CounterTests;

namespace Broker.Tests.Monitoring;

/// <summary>
/// The same load against nats-server and this broker, then the same monitoring requests: the JSON
/// keys (with their order and value kinds) must be the same, and so must the counters.
/// Both run without a system account, whose internal subscriptions differ in number (the
/// system account's own differential test is in SystemAccount/).
/// </summary>
public class MonitorDifferentialTests
{
    private static readonly string[] Paths =
    [
        "/varz", "/connz", "/connz?subs=1", "/connz?subs=detail&auth=1", "/connz?state=closed", "/connz?state=all&sort=cid",
        "/subsz", "/subsz?subs=1", "/subsz?subs=1&test=foo", "/healthz", "/routez", "/gatewayz", "/leafz",
        "/accountz", "/accountz?acc=%24G",
    ];

    [NatsServerFact]
    public async Task Keys_and_counters_match_nats_server_under_the_same_load()
    {
        await using var natsServer = await NatsServerProcess.StartAsync("http_port: -1\nno_system_account: true\n");
        // Both without a system account: its internal subscriptions would differ in number.
        await using var broker = await MonitoredBroker.StartAsync(o => o with { NoSystemAccount = true });
        using var natsHttp = new MonitorClient(new IPEndPoint(IPAddress.Loopback, natsServer.MonitorPort!.Value));

        await using var oursLoad = await Load.RunAsync(broker.Port, broker.Url);
        await using var theirsLoad = await Load.RunAsync(natsServer.Port, $"nats://127.0.0.1:{natsServer.Port}");
        var expected = await natsHttp.WaitForAsync("/varz", Load.IsComplete);
        var ours = await broker.Http.WaitForAsync("/varz", Load.IsComplete);
        await natsHttp.WaitForAsync("/connz?state=closed", c => Long(c, "total") == 1);
        await broker.Http.WaitForAsync("/connz?state=closed", c => Long(c, "total") == 1);

        foreach (var key in new[] { "connections", "total_connections", "in_msgs", "out_msgs", "in_bytes", "out_bytes", "slow_consumers", "subscriptions" })
        {
            Assert.True(Long(expected, key) == Long(ours, key), $"/varz {key}: nats-server {expected[key]}, ours {ours[key]}");
        }

        foreach (var path in Paths)
        {
            var theirs = await natsHttp.GetAsync(path);
            var mine = await broker.Http.GetAsync(path);
            Assert.True(theirs.Status == mine.Status, $"{path}: nats-server {theirs.Status}, ours {mine.Status}: {mine.Body}");
            Assert.Equal(theirs.ContentType, mine.ContentType);
            var theirShape = JsonShape.Of(JsonNode.Parse(theirs.Body));
            var myShape = JsonShape.Of(JsonNode.Parse(mine.Body));
            Assert.True(theirShape.SequenceEqual(myShape), $"{path} differs:\n{JsonShape.Diff(theirShape, myShape)}");
        }

        var theirConnz = await natsHttp.GetJsonAsync("/connz?state=all&sort=cid");
        var myConnz = await broker.Http.GetJsonAsync("/connz?state=all&sort=cid");
        Assert.Equal(Counters(theirConnz), Counters(myConnz));
    }

    [NatsServerFact]
    public async Task Bad_queries_get_the_same_status_and_text_as_nats_server()
    {
        await using var natsServer = await NatsServerProcess.StartAsync("http_port: -1\nno_system_account: true\n");
        await using var broker = await MonitoredBroker.StartAsync();
        using var natsHttp = new MonitorClient(new IPEndPoint(IPAddress.Loopback, natsServer.MonitorPort!.Value));

        foreach (var path in new[]
        {
            "/connz?sort=bogus", "/connz?sort=stop", "/connz?limit=x", "/connz?cid=-1", "/connz?subs=maybe", "/connz?state=xx",
            "/subsz?test=foo.*", "/subsz?offset=z", "/accountz?acc=nope", "/nope", "/varz/", "/routez?subs=2", "/leafz?subs=x",
        })
        {
            var theirs = await natsHttp.GetAsync(path);
            var mine = await broker.Http.GetAsync(path);
            Assert.True((theirs.Status, theirs.Body) == (mine.Status, mine.Body), $"{path}: nats-server {theirs.Status} '{theirs.Body}', ours {mine.Status} '{mine.Body}'");
        }
    }

    private static string[] Counters(JsonObject connz) => Connections(connz)
        .Select(c => $"{c["name"]} in={c["in_msgs"]}/{c["in_bytes"]} out={c["out_msgs"]}/{c["out_bytes"]} subs={c["subscriptions"]} reason={c["reason"]}")
        .ToArray();

    /// <summary>The load both servers get: raw subscribers and publishers, NATS.Net, and one connection closed by a protocol error.</summary>
    private sealed class Load : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _clients = new();

        /// <summary>3 raw + 10 NATS.Net + 1 closing publish = 14 in; the subscriber gets 13 on foo and 1 on bar.x.</summary>
        public static bool IsComplete(JsonObject varz) => Long(varz, "in_msgs") == 14 && Long(varz, "out_msgs") == 14;

        public static async Task<Load> RunAsync(int port, string url)
        {
            var load = new Load();
            var sub = await RawClient.ConnectAsync(port);
            load._clients.Add(sub);
            // Headers on: nats-server counts a message's full size in out_bytes even when it strips the
            // headers for a client without them, and this broker counts what it sends (README, Monitoring).
            await sub.SendAsync("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"name\":\"sub\",\"lang\":\"raw\",\"version\":\"1.0\"}\r\nSUB foo 1\r\nSUB bar.* q 2\r\nPING\r\n");
            await sub.ReadUntilAsync("PONG\r\n");

            var pub = await RawClient.ConnectAsync(port);
            load._clients.Add(pub);
            await pub.SendAsync("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"name\":\"pub\",\"lang\":\"raw\",\"version\":\"1.0\",\"user\":\"u\",\"pass\":\"p\"}\r\n"
                + "PUB foo 5\r\nhello\r\nPUB bar.x 3\r\nabc\r\nHPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\nPING\r\n");
            await pub.ReadUntilAsync("PONG\r\n");

            var nats = await NatsClients.ConnectAsync(url, o => o with { Name = "natsnet" });
            load._clients.Add(nats);
            for (var i = 0; i < 10; i++) await nats.PublishAsync("foo", new byte[] { 1, 2, 3, 4 });
            await nats.PingAsync();

            await using var closer = await RawClient.ConnectAsync(port);
            await closer.SendAsync("CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"closer\",\"lang\":\"raw\"}\r\nSUB zzz 9\r\nPUB foo 2\r\nhi\r\nPING\r\n");
            await closer.ReadUntilAsync("PONG\r\n");
            await closer.SendAsync("BOGUS\r\n");
            await closer.ReadToCloseAsync();
            return load;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _clients) await client.DisposeAsync();
        }
    }
}
