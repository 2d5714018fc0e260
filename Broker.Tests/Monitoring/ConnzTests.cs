using System.Text.Json.Nodes;
using Broker.Tests.Infrastructure;
using static Broker.Tests.Monitoring.CounterTests;

namespace Broker.Tests.Monitoring;

/// <summary>/connz's options: sorting, paging, filters, subscriptions, auth, and closed connections.</summary>
public class ConnzTests
{
    [Fact]
    public async Task Sorts_put_the_largest_first_except_by_cid()
    {
        await using var broker = await MonitoredBroker.StartAsync();
        var clients = new List<RawClient>();
        // c1 publishes 1 message of 3 bytes, c2 2 messages, c3 3 messages; c2 has the most subscriptions.
        for (var n = 1; n <= 3; n++)
        {
            var pubs = string.Concat(Enumerable.Repeat("PUB x 3\r\nabc\r\n", n));
            var subs = n == 2 ? "SUB s 1\r\nSUB t 2\r\n" : "";
            clients.Add(await broker.ConnectRawAsync($"c{n}", subs + pubs));
        }
        try
        {
            Assert.Equal(["c1", "c2", "c3"], await NamesAsync(broker, "/connz"));
            Assert.Equal(["c1", "c2", "c3"], await NamesAsync(broker, "/connz?sort=cid"));
            Assert.Equal(["c1", "c2", "c3"], await NamesAsync(broker, "/connz?sort=start"));
            Assert.Equal(["c3", "c2", "c1"], await NamesAsync(broker, "/connz?sort=msgs_from"));
            Assert.Equal(["c3", "c2", "c1"], await NamesAsync(broker, "/connz?sort=bytes_from"));
            Assert.Equal("c2", (await NamesAsync(broker, "/connz?sort=subs"))[0]);
            Assert.Equal(3, (await NamesAsync(broker, "/connz?sort=uptime")).Length);
            Assert.Equal(3, (await NamesAsync(broker, "/connz?sort=idle")).Length);
            Assert.Equal(3, (await NamesAsync(broker, "/connz?sort=last")).Length);
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Offset_and_limit_page_through_the_sorted_list()
    {
        await using var broker = await MonitoredBroker.StartAsync();
        await using var a = await broker.ConnectRawAsync("a");
        await using var b = await broker.ConnectRawAsync("b");
        await using var c = await broker.ConnectRawAsync("c");

        var first = await broker.Http.GetJsonAsync("/connz?limit=2");
        var second = await broker.Http.GetJsonAsync("/connz?limit=2&offset=2");
        var beyond = await broker.Http.GetJsonAsync("/connz?offset=10");

        Assert.Equal((2L, 3L, 0L, 2L), Page(first));
        Assert.Equal(["a", "b"], Connections(first).Select(x => (string?)x["name"]));
        Assert.Equal((1L, 3L, 2L, 2L), Page(second));
        Assert.Equal(["c"], Connections(second).Select(x => (string?)x["name"]));
        Assert.Equal((0L, 3L, 10L, 1024L), Page(beyond));
    }

    [Fact]
    public async Task Cid_user_and_account_filter()
    {
        await using var broker = await MonitoredBroker.StartAsync();
        await using var alice = await RawClient.ConnectAsync(broker.Port);
        await alice.SendAsync("CONNECT {\"verbose\":false,\"name\":\"alice\",\"user\":\"alice\",\"pass\":\"s\"}\r\nPING\r\n");
        await alice.ReadUntilAsync("PONG\r\n");
        await using var other = await broker.ConnectRawAsync("other");
        var aliceCid = (long)Connections(await broker.Http.GetJsonAsync("/connz"))[0]["cid"]!;

        var byCid = await broker.Http.GetJsonAsync($"/connz?cid={aliceCid}");
        var byUser = await broker.Http.GetJsonAsync("/connz?auth=1&user=alice");
        var global = await broker.Http.GetJsonAsync("/connz?acc=%24G");
        var none = await broker.Http.GetJsonAsync("/connz?acc=nobody");

        Assert.Equal(["alice"], Connections(byCid).Select(x => (string?)x["name"]));
        Assert.Equal(1L, Long(byCid, "limit"));
        var info = Assert.Single(Connections(byUser));
        Assert.Equal("alice", (string?)info["authorized_user"]);
        // The global account is not named, as in nats-server.
        Assert.False(info.ContainsKey("account"));
        Assert.Equal(2L, Long(global, "total"));
        Assert.Equal(0L, Long(none, "total"));
        Assert.False(Connections(await broker.Http.GetJsonAsync("/connz"))[0].ContainsKey("authorized_user"));
    }

    [Fact]
    public async Task Subs_lists_subjects_and_detail_lists_each_subscription()
    {
        await using var broker = await MonitoredBroker.StartAsync();
        await using var client = await broker.ConnectRawAsync("c", "SUB a 1\r\nSUB b.* grp 2\r\nPUB a 1\r\nx\r\nPUB a 1\r\ny\r\n");
        // (Both messages came back before the PONG that ConnectRawAsync waited for.)

        var plain = Connections(await broker.Http.GetJsonAsync("/connz"))[0];
        var list = Connections(await broker.Http.GetJsonAsync("/connz?subs=1"))[0];
        var detail = Connections(await broker.Http.GetJsonAsync("/connz?subs=detail"))[0];

        Assert.False(plain.ContainsKey("subscriptions_list"));
        Assert.Equal(["a", "b.*"], list["subscriptions_list"]!.AsArray().Select(s => (string?)s));
        Assert.False(list.ContainsKey("subscriptions_list_detail"));
        var details = detail["subscriptions_list_detail"]!.AsArray().Select(s => s!.AsObject()).ToArray();
        Assert.Equal(["subject", "sid", "msgs", "cid"], EndpointShapeTests.Keys(details[0]));
        Assert.Equal(("a", "1", 2L), ((string?)details[0]["subject"], (string?)details[0]["sid"], Long(details[0], "msgs")));
        Assert.Equal(("b.*", "grp", "2", 0L), ((string?)details[1]["subject"], (string?)details[1]["qgroup"], (string?)details[1]["sid"], Long(details[1], "msgs")));
    }

    [Fact]
    public async Task Closed_connections_keep_their_counts_subscriptions_and_reason()
    {
        await using var broker = await MonitoredBroker.StartAsync();
        await using var open = await broker.ConnectRawAsync("open");
        await using var bad = await broker.ConnectRawAsync("bad", "SUB a 1\r\nSUB b 2\r\nPUB a 2\r\nhi\r\n");
        await bad.SendAsync("BOGUS\r\n");
        await bad.ReadToCloseAsync();

        var closed = await broker.Http.WaitForAsync("/connz?state=closed&subs=1", c => Long(c, "total") == 1);
        var all = await broker.Http.GetJsonAsync("/connz?state=all");
        var openOnly = await broker.Http.GetJsonAsync("/connz?state=open");

        var info = Assert.Single(Connections(closed));
        Assert.Equal("bad", (string?)info["name"]);
        Assert.Equal("Protocol Violation", (string?)info["reason"]);
        Assert.True(info.ContainsKey("stop"));
        Assert.Equal(1L, Long(info, "in_msgs"));
        Assert.Equal(1L, Long(info, "out_msgs"));
        Assert.Equal(2L, Long(info, "subscriptions"));
        Assert.Equal(["a", "b"], info["subscriptions_list"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(["open", "bad"], Connections(all).Select(x => (string?)x["name"]));
        Assert.Equal(["open"], Connections(openOnly).Select(x => (string?)x["name"]));
        Assert.False(Connections(openOnly)[0].ContainsKey("stop"));
    }

    [Fact]
    public async Task Closed_connections_sort_by_stop_and_by_reason()
    {
        await using var broker = await MonitoredBroker.StartAsync(o => o with { MaxPayload = 8 });
        await using (var first = await broker.ConnectRawAsync("first"))
        {
            await first.SendAsync("PUB a 100\r\n");
            await first.ReadToCloseAsync();
        }
        await broker.Http.WaitForAsync("/connz?state=closed", c => Long(c, "total") == 1);
        await using (var second = await broker.ConnectRawAsync("second"))
        {
            await second.SendAsync("BOGUS\r\n");
            await second.ReadToCloseAsync();
        }
        await broker.Http.WaitForAsync("/connz?state=closed", c => Long(c, "total") == 2);

        Assert.Equal(["second", "first"], await NamesAsync(broker, "/connz?state=closed&sort=stop"));
        var byReason = Connections(await broker.Http.GetJsonAsync("/connz?state=closed&sort=reason"));
        Assert.Equal(["Maximum Message Payload Exceeded", "Protocol Violation"], byReason.Select(x => (string?)x["reason"]));
    }

    [Fact]
    public async Task A_closed_connection_s_entry_keeps_nothing_of_the_connection_alive()
    {
        await using var broker = await MonitoredBroker.StartAsync();
        var client = await broker.ConnectRawAsync("gone", "SUB a 1\r\n");
        var connection = Weakly(broker);
        await client.DisposeAsync();
        await broker.Http.WaitForAsync("/connz?state=closed", c => Long(c, "total") == 1);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (connection.IsAlive && DateTime.UtcNow < deadline)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(20);
        }

        Assert.False(connection.IsAlive, "the closed connection (and its buffers) is still reachable");
        var closed = Assert.Single(Connections(await broker.Http.GetJsonAsync("/connz?state=closed&subs=1")));
        Assert.Equal(["a"], closed["subscriptions_list"]!.AsArray().Select(s => (string?)s));
    }

    /// <summary>A weak reference to the broker's only connection, made where no strong one outlives it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference Weakly(MonitoredBroker broker) => new(broker.Broker.Server.Context.Connections.Values.Single());

    private static async Task<string[]> NamesAsync(MonitoredBroker broker, string path) =>
        Connections(await broker.Http.GetJsonAsync(path)).Select(c => (string)c["name"]!).ToArray();

    private static (long, long, long, long) Page(JsonObject connz) =>
        (Long(connz, "num_connections"), Long(connz, "total"), Long(connz, "offset"), Long(connz, "limit"));
}
