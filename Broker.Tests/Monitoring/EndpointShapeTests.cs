using System.Text.Json;
using System.Text.Json.Nodes;

namespace Broker.Tests.Monitoring;

/// <summary>
/// Each endpoint's JSON keys, in nats-server 2.9's order (as nats-server 2.9.10 answers with its
/// default system account <c>$SYS</c>; the differential tests compare against a live nats-server too).
/// </summary>
public class EndpointShapeTests
{
    private static readonly string[] VarzKeys =
    [
        "server_id", "server_name", "version", "proto", "go", "host", "port", "max_connections", "ping_interval", "ping_max",
        "http_host", "http_port", "http_base_path", "https_port", "auth_timeout", "max_control_line", "max_payload", "max_pending",
        "cluster", "gateway", "leaf", "mqtt", "websocket", "jetstream", "tls_timeout", "write_deadline", "start", "now", "uptime",
        "mem", "cores", "gomaxprocs", "cpu", "connections", "total_connections", "routes", "remotes", "leafnodes", "in_msgs",
        "out_msgs", "in_bytes", "out_bytes", "slow_consumers", "subscriptions", "http_req_stats", "config_load_time",
        "system_account",
    ];

    private static readonly string[] ConnInfoKeys =
    [
        "cid", "kind", "type", "ip", "port", "start", "last_activity", "rtt", "uptime", "idle", "pending_bytes",
        "in_msgs", "out_msgs", "in_bytes", "out_bytes", "subscriptions", "name", "lang", "version",
    ];

    private static readonly string[] SublistStatsKeys =
        ["num_subscriptions", "num_cache", "num_inserts", "num_removes", "num_matches", "cache_hit_rate", "max_fanout", "avg_fanout"];

    [Fact]
    public async Task Varz()
    {
        await using var broker = await MonitoredBroker.StartAsync(o => o with { ServerName = "shape" });
        var varz = await broker.Http.GetJsonAsync("/varz");

        Assert.Equal(VarzKeys, Keys(varz));
        Assert.Equal("shape", (string?)varz["server_name"]);
        Assert.Equal("2.9.10", (string?)varz["version"]);
        Assert.Equal(broker.Port, (int)varz["port"]!);
        Assert.Equal(broker.Broker.Server.MonitorEndpoint!.Port, (int)varz["http_port"]!);
        Assert.Equal("127.0.0.1", (string?)varz["http_host"]);
        Assert.Equal(120_000_000_000L, (long)varz["ping_interval"]!);
        Assert.Equal(10_000_000_000L, (long)varz["write_deadline"]!);
        Assert.Equal(2.0, (double)varz["auth_timeout"]!);
        foreach (var empty in new[] { "cluster", "gateway", "leaf", "mqtt", "websocket", "jetstream" })
        {
            Assert.Empty(varz[empty]!.AsObject());
        }
        Assert.Equal(1UL, (ulong)varz["http_req_stats"]!["/varz"]!);
        Assert.True((long)varz["mem"]! > 0);
        Assert.Equal(Environment.ProcessorCount, (int)varz["cores"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", (string?)varz["start"]);
        Assert.Matches(@"^\d+s$", (string?)varz["uptime"]);
    }

    [Fact]
    public async Task Connz_with_a_connection()
    {
        await using var broker = await MonitoredBroker.StartAsync();
        await using var client = await broker.ConnectRawAsync("shape", "SUB a 1\r\n");

        var connz = await broker.Http.GetJsonAsync("/connz");

        Assert.Equal(["server_id", "now", "num_connections", "total", "offset", "limit", "connections"], Keys(connz));
        var info = Assert.Single(connz["connections"]!.AsArray())!.AsObject();
        Assert.Equal(ConnInfoKeys, Keys(info));
        Assert.Equal("Client", (string?)info["kind"]);
        Assert.Equal("nats", (string?)info["type"]);
        Assert.Equal("127.0.0.1", (string?)info["ip"]);
        Assert.Equal("shape", (string?)info["name"]);
        Assert.Equal("raw", (string?)info["lang"]);
        Assert.Equal(1, (int)info["subscriptions"]!);
        Assert.Matches(@"^(0s|[\d.]+(ns|µs|ms|s))$", (string?)info["rtt"]);
    }

    [Fact]
    public async Task Connz_empty()
    {
        await using var broker = await MonitoredBroker.StartAsync();
        var connz = await broker.Http.GetJsonAsync("/connz");

        Assert.Equal(0, (int)connz["num_connections"]!);
        Assert.Equal(1024, (int)connz["limit"]!);
        Assert.Empty(connz["connections"]!.AsArray());
    }

    [Fact]
    public async Task Subsz_alone_is_the_statistics_object()
    {
        await using var broker = await MonitoredBroker.StartAsync();
        await using var client = await broker.ConnectRawAsync("s", "SUB a 1\r\n");

        var subsz = await broker.Http.GetJsonAsync("/subsz");

        Assert.Equal(SublistStatsKeys, Keys(subsz));
        Assert.Equal(1 + broker.InternalSubscriptions, (long)subsz["num_subscriptions"]!);
    }

    [Fact]
    public async Task Subsz_with_subscriptions()
    {
        await using var broker = await MonitoredBroker.StartAsync();
        await using var client = await broker.ConnectRawAsync("s", "SUB a 1\r\nSUB b.* q 2\r\n");

        var subsz = await broker.Http.GetJsonAsync("/subsz?subs=1");

        Assert.Equal(["server_id", "now", .. SublistStatsKeys, "total", "offset", "limit", "subscriptions_list"], Keys(subsz));
        var subs = subsz["subscriptions_list"]!.AsArray().Select(s => s!.AsObject()).ToArray();
        Assert.Equal(["account", "subject", "sid", "msgs", "cid"], Keys(subs[0]));
        Assert.Equal(["account", "subject", "qgroup", "sid", "msgs", "cid"], Keys(subs[1]));
        Assert.Equal("q", (string?)subs[1]["qgroup"]);
        Assert.Equal("$G", (string?)subs[1]["account"]);
    }

    [Fact]
    public async Task Accountz()
    {
        await using var broker = await MonitoredBroker.StartAsync();

        var list = await broker.Http.GetJsonAsync("/accountz");
        var detail = await broker.Http.GetJsonAsync("/accountz?acc=%24G");

        Assert.Equal(["server_id", "now", "system_account", "accounts"], Keys(list));
        Assert.Equal(["$G", "$SYS"], list["accounts"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(["server_id", "now", "system_account", "account_detail"], Keys(detail));
        var account = detail["account_detail"]!.AsObject();
        Assert.Equal(
            ["account_name", "update_time", "expired", "complete", "jetstream_enabled", "leafnode_connections", "client_connections", "subscriptions", "sublist_stats"],
            Keys(account));
        Assert.Equal(SublistStatsKeys, Keys(account["sublist_stats"]!.AsObject()));
    }

    [Fact]
    public async Task Routez_gatewayz_leafz_are_empty_but_valid()
    {
        await using var broker = await MonitoredBroker.StartAsync();

        var routez = await broker.Http.GetJsonAsync("/routez");
        var gatewayz = await broker.Http.GetJsonAsync("/gatewayz");
        var leafz = await broker.Http.GetJsonAsync("/leafz");

        Assert.Equal(["server_id", "now", "num_routes", "routes"], Keys(routez));
        Assert.Empty(routez["routes"]!.AsArray());
        Assert.Equal(["server_id", "now", "outbound_gateways", "inbound_gateways"], Keys(gatewayz));
        Assert.Empty(gatewayz["outbound_gateways"]!.AsObject());
        Assert.Equal(["server_id", "now", "leafnodes", "leafs"], Keys(leafz));
        Assert.Null(leafz["leafs"]);
        Assert.Equal(broker.Broker.Server.Context.ServerId, (string?)leafz["server_id"]);
    }

    [Fact]
    public async Task Bodies_are_indented_like_go_s_marshal_indent_and_healthz_is_one_line()
    {
        await using var broker = await MonitoredBroker.StartAsync();

        var routez = await broker.Http.GetAsync("/routez");
        var healthz = await broker.Http.GetAsync("/healthz");

        Assert.StartsWith("{\n  \"server_id\": \"N", routez.Body);
        Assert.EndsWith("\n  \"routes\": []\n}", routez.Body);
        Assert.Equal("{\"status\":\"ok\"}", healthz.Body);
    }

    [Fact]
    public async Task A_callback_wraps_the_json_as_nats_server_s_jsonp()
    {
        await using var broker = await MonitoredBroker.StartAsync();

        var reply = await broker.Http.GetAsync("/healthz?callback=cb");

        Assert.Equal(200, reply.Status);
        Assert.Equal("application/javascript", reply.ContentType);
        Assert.Equal("cb({\"status\":\"ok\"})", reply.Body);
    }

    internal static string[] Keys(JsonObject json) => json.Select(p => p.Key).ToArray();

    internal static string[] Keys(JsonElement json) => json.EnumerateObject().Select(p => p.Name).ToArray();
}
