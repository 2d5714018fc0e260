using System.Text.Json.Nodes;
using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;
using static Broker.Tests.SystemAccount.SystemAccountSetup;

namespace Broker.Tests.SystemAccount;

/// <summary>
/// The same configuration and the same actions against nats-server and this broker: every
/// advisory and every answer must have nats-server's keys, in its order, with its value kinds.
/// </summary>
public class SystemAccountDifferentialTests
{
    [NatsServerFact]
    public async Task Advisories_and_answers_have_nats_servers_shapes()
    {
        Dictionary<string, JsonNode> theirs;
        await using (var natsServer = await NatsServerProcess.StartAsync(Config))
        {
            theirs = await Scenario.RunAsync(natsServer.Port);
        }
        Dictionary<string, JsonNode> ours;
        await using (var broker = await StartAsync())
        {
            ours = await Scenario.RunAsync(broker.Port);
        }

        Assert.Equal(theirs.Keys.Order(), ours.Keys.Order());
        foreach (var (name, expected) in theirs)
        {
            var theirShape = Comparable(JsonShape.Of(expected));
            var myShape = Comparable(JsonShape.Of(ours[name]));
            Assert.True(theirShape.SequenceEqual(myShape), $"{name} differs:\n{JsonShape.Diff(theirShape, myShape)}");
        }
    }

    /// <summary>
    /// A client's <c>rtt</c> is omitted when zero (Go's omitempty); whether a measurement is zero
    /// differs between the servers' methods (README), so it is not compared.
    /// </summary>
    private static List<string> Comparable(List<string> shape) => shape.Where(line => !line.StartsWith(".client.rtt:", StringComparison.Ordinal)).ToList();

    /// <summary>The actions both servers get, and the first message of each kind they answer with.</summary>
    private static class Scenario
    {
        public static async Task<Dictionary<string, JsonNode>> RunAsync(int port)
        {
            var url = $"nats://127.0.0.1:{port}";
            var seen = new Dictionary<string, JsonNode>();
            await using var system = await AsSystemAsync(url);
            var serverId = system.ServerInfo!.Id;
            await using var accountEvents = await SubscribeAsync(system, "$SYS.ACCOUNT.A.>");
            await using var legacyCounts = await SubscribeAsync(system, "$SYS.SERVER.ACCOUNT.A.CONNS");
            await using var authErrors = await SubscribeAsync(system, $"$SYS.SERVER.{serverId}.CLIENT.AUTH.ERR");

            var client = await AsAccountAAsync(url);
            await using var foo = await client.SubscribeCoreAsync<string>("foo");
            await using var bar = await client.SubscribeCoreAsync<string>("bar.*", queueGroup: "q");
            await client.PublishAsync("foo", "hello");
            await client.PublishAsync("bar.x", "abc");
            await client.PingAsync();

            await FirstAsync(accountEvents, "$SYS.ACCOUNT.A.CONNECT", seen);
            await FirstAsync(legacyCounts, "$SYS.SERVER.ACCOUNT.A.CONNS", seen);
            foreach (var (name, subject, body) in Requests(serverId))
            {
                seen[name] = Json(await system.RequestAsync<byte[], byte[]>(subject, System.Text.Encoding.UTF8.GetBytes(body)));
            }

            await client.DisposeAsync();
            await FirstAsync(accountEvents, "$SYS.ACCOUNT.A.DISCONNECT", seen);
            Assert.Contains("$SYS.ACCOUNT.A.SERVER.CONNS", seen.Keys);

            await using (var raw = await RawClient.ConnectAsync(port))
            {
                await raw.SendAsync("CONNECT {\"verbose\":false,\"name\":\"intruder\",\"lang\":\"raw\",\"version\":\"1.0\",\"user\":\"a\",\"pass\":\"wrong\"}\r\nPING\r\n");
                await raw.ReadToCloseAsync();
            }
            await FirstAsync(authErrors, $"$SYS.SERVER.{serverId}.CLIENT.AUTH.ERR", seen);
            seen["CLIENT.AUTH.ERR"] = seen[$"$SYS.SERVER.{serverId}.CLIENT.AUTH.ERR"];
            seen.Remove($"$SYS.SERVER.{serverId}.CLIENT.AUTH.ERR");
            return seen;
        }

        private static IEnumerable<(string Name, string Subject, string Body)> Requests(string serverId) =>
        [
            ("PING", "$SYS.REQ.SERVER.PING", ""),
            ("PING.STATSZ", "$SYS.REQ.SERVER.PING.STATSZ", ""),
            ("ID.STATSZ", $"$SYS.REQ.SERVER.{serverId}.STATSZ", ""),
            ("PING.VARZ", "$SYS.REQ.SERVER.PING.VARZ", ""),
            ("ID.VARZ", $"$SYS.REQ.SERVER.{serverId}.VARZ", ""),
            ("PING.CONNZ", "$SYS.REQ.SERVER.PING.CONNZ", ""),
            ("PING.CONNZ auth subs", "$SYS.REQ.SERVER.PING.CONNZ", """{"auth":true,"subscriptions":true}"""),
            ("PING.CONNZ detail", "$SYS.REQ.SERVER.PING.CONNZ", """{"subscriptions_detail":true}"""),
            ("ID.CONNZ", $"$SYS.REQ.SERVER.{serverId}.CONNZ", ""),
            ("PING.SUBSZ", "$SYS.REQ.SERVER.PING.SUBSZ", ""),
            ("ID.SUBSZ subs", $"$SYS.REQ.SERVER.{serverId}.SUBSZ", """{"subscriptions":true}"""),
            ("ACCOUNT.A.CONNZ", "$SYS.REQ.ACCOUNT.A.CONNZ", ""),
            ("ACCOUNT.A.SUBSZ", "$SYS.REQ.ACCOUNT.A.SUBSZ", ""),
            ("CONNZ unreadable options", "$SYS.REQ.SERVER.PING.CONNZ", "{bad"),
            ("STATSZ unreadable options", "$SYS.REQ.SERVER.PING.STATSZ", "{bad"),
        ];

        /// <summary>Reads until <paramref name="subject"/> arrives, keeping the first message of each subject on the way.</summary>
        private static async Task FirstAsync(INatsSub<byte[]> sub, string subject, Dictionary<string, JsonNode> seen)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!seen.ContainsKey(subject))
            {
                var message = await sub.Msgs.ReadAsync(timeout.Token);
                seen.TryAdd(message.Subject, Json(message));
            }
        }
    }
}
