using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Broker.Configuration;
using Broker.LeafNodes;
using Broker.Tests.Cluster;
using Broker.Tests.Differential;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.LeafNodes;

/// <summary>Hubs, leaves and the waits leaf tests share: interest is asynchronous, so tests wait for it to arrive, never sleep.</summary>
internal static class LeafTestSupport
{
    /// <summary>A broker with a leafnode port on 127.0.0.1 (an ephemeral one unless <paramref name="leafPort"/> is given).</summary>
    public static Task<TestBroker> StartHubAsync(int leafPort = 0, Func<BrokerOptions, BrokerOptions>? configure = null) =>
        TestBroker.StartAsync(o =>
        {
            o = o with { LeafNodes = new LeafNodeOptions { Host = "127.0.0.1", Port = leafPort } };
            return configure is null ? o : configure(o);
        });

    /// <summary>A broker that is a leaf of the hub at <paramref name="hubUrl"/>.</summary>
    public static Task<TestBroker> StartLeafAsync(string hubUrl, Func<LeafRemoteOptions, LeafRemoteOptions>? remote = null, Func<BrokerOptions, BrokerOptions>? configure = null) =>
        TestBroker.StartAsync(o =>
        {
            var r = new LeafRemoteOptions { Urls = [new Uri(hubUrl)], ReconnectBase = TimeSpan.FromMilliseconds(200) };
            if (remote is not null) r = remote(r);
            o = o with { LeafNodes = new LeafNodeOptions { Listens = false, Remotes = [r] } };
            return configure is null ? o : configure(o);
        });

    public static string LeafUrl(TestBroker hub) => LeafUrl(hub.Server);

    public static string LeafUrl(Broker.Server.BrokerServer hub) => $"nats://127.0.0.1:{hub.LeafNodeEndpoint!.Port}";

    public static IReadOnlyCollection<LeafConnection> LinksOf(TestBroker broker) => LinksOf(broker.Server);

    public static IReadOnlyCollection<LeafConnection> LinksOf(Broker.Server.BrokerServer broker) => broker.Context.LeafNodes!.Connections;

    public static Task WaitLinkAsync(TestBroker broker, int count = 1) => WaitLinkAsync(broker.Server, count);

    public static Task WaitLinkAsync(Broker.Server.BrokerServer broker, int count = 1) =>
        Eventually.Async(() => LinksOf(broker).Count(l => l.IsEstablished && !l.IsClosed) >= count, $"{count} established leaf link(s)");

    /// <summary>Waits until some leaf link of <paramref name="broker"/> holds the peer's interest <paramref name="key"/> ("subject" or "subject queue").</summary>
    public static Task WaitInterestAsync(TestBroker broker, string key) => WaitInterestAsync(broker.Server, key);

    public static Task WaitInterestAsync(Broker.Server.BrokerServer broker, string key) =>
        Eventually.Async(() => HasInterest(broker, key), $"leaf interest in \"{key}\"");

    public static bool HasInterest(Broker.Server.BrokerServer broker, string key) => LinksOf(broker).Any(l => !l.IsClosed && l.InterestKeys.Contains(key));

    /// <summary>A broker that is a hub (its own leafnode port) and a leaf of <paramref name="hubUrl"/>: the middle of a daisy chain.</summary>
    public static Task<TestBroker> StartMiddleAsync(string hubUrl) =>
        TestBroker.StartAsync(o => o with
        {
            LeafNodes = new LeafNodeOptions
            {
                Host = "127.0.0.1",
                Port = 0,
                Remotes = [new LeafRemoteOptions { Urls = [new Uri(hubUrl)], ReconnectBase = TimeSpan.FromMilliseconds(200) }],
            },
        });

    /// <summary>Waits until nats-server's leaf links hold interest in <paramref name="subject"/> (its /leafz?subs=1).</summary>
    public static async Task WaitNatsInterestAsync(NatsServerProcess server, string subject)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var body = await http.GetStringAsync($"http://127.0.0.1:{server.MonitorPort}/leafz?subs=1");
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.GetProperty("leafs") is { ValueKind: JsonValueKind.Array } leafs
                && leafs.EnumerateArray().Any(l => l.TryGetProperty("subscriptions_list", out var subs) && subs.ValueKind == JsonValueKind.Array
                    && subs.EnumerateArray().Any(s => s.GetString() == subject)))
            {
                return;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"nats-server never learned interest in {subject}: {body}");
            await Task.Delay(25);
        }
    }

    /// <summary>The interest nats-server's leaf links hold now (its /leafz?subs=1 subscriptions_list, all links).</summary>
    public static async Task<IReadOnlyList<string>> NatsInterestAsync(NatsServerProcess server)
    {
        using var http = new HttpClient();
        using var json = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{server.MonitorPort}/leafz?subs=1"));
        return [.. json.RootElement.GetProperty("leafs").EnumerateArray()
            .SelectMany(l => l.TryGetProperty("subscriptions_list", out var subs) && subs.ValueKind == JsonValueKind.Array ? subs.EnumerateArray().Select(s => s.GetString()!) : [])];
    }

    /// <summary>nats-server as a leaf of <paramref name="hubLeafUrl"/>, with monitoring for the waits above.</summary>
    public static Task<NatsServerProcess> StartNatsLeafAsync(string hubLeafUrl, string name = "natsleaf", string remoteExtra = "") =>
        NatsServerProcess.StartAsync($"server_name: {name}\nhttp_port: -1\nleafnodes {{\n  reconnect: 1\n  remotes: [ {{ url: \"{hubLeafUrl}\" {remoteExtra} }} ]\n}}\n");

    /// <summary>nats-server as a hub with a leafnode port of its own choosing.</summary>
    public static Task<NatsServerProcess> StartNatsHubAsync(int leafPort, string extra = "") =>
        NatsServerProcess.StartAsync($"server_name: natshub\nhttp_port: -1\n{extra}\nleafnodes {{\n  listen: \"127.0.0.1:{leafPort}\"\n}}\n");

    /// <summary>A port free now (for a process that must come back on the same one after a restart).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
