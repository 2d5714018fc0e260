using Broker.Accounts;
using Broker.Configuration;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;
using static Broker.Tests.SystemAccount.SystemAccountSetup;

namespace Broker.Tests.SystemAccount;

/// <summary>The advisories published in the system account, read by a NATS.Net client of that account, counted exactly.</summary>
public class AdvisoryTests
{
    [Fact]
    public async Task Each_client_that_authenticates_into_an_account_is_announced_once()
    {
        await using var broker = await StartAsync();
        await using var system = await AsSystemAsync(broker.Url);
        // The events actor handles what it is told in order: once it answers this, the system
        // client's own connect advisory is behind us and cannot land in the subscription below.
        await RequestAsync(system, "$SYS.REQ.SERVER.PING");
        await using var connects = await SubscribeAsync(system, "$SYS.ACCOUNT.*.CONNECT");

        await using var first = await AsAccountAAsync(broker.Url, "first");
        await using var second = await AsAccountAAsync(broker.Url, "second");
        await RequestAsync(system, "$SYS.REQ.SERVER.PING");

        var events = Drain(connects);
        Assert.Equal(["$SYS.ACCOUNT.A.CONNECT", "$SYS.ACCOUNT.A.CONNECT"], events.Select(e => e.Subject));
        var byName = events.Select(Json).ToDictionary(e => Text(e, "client.name")!);
        var advisory = byName["first"];
        Assert.Equal("io.nats.server.advisory.v1.client_connect", Text(advisory, "type"));
        Assert.Equal(22, Text(advisory, "id")!.Length);
        Assert.Equal("A", Text(advisory, "client.acc"));
        Assert.Equal("a", Text(advisory, "client.user"));
        Assert.Equal("127.0.0.1", Text(advisory, "client.host"));
        Assert.Equal(".NET", Text(advisory, "client.lang"));
        Assert.Equal("Client", Text(advisory, "client.kind"));
        Assert.Equal("nats", Text(advisory, "client.client_type"));
        var cid = broker.Server.Context.Connections.Values.Single(c => c.Options.Name == "first").Id;
        Assert.Equal((long)cid, Long(advisory, "client.id"));
        Assert.Null(advisory["client"]!["stop"]);
        Assert.Equal(broker.Server.Context.ServerId, Text(advisory, "server.id"));
        Assert.Equal("events", Text(advisory, "server.name"));
        // The user's name, never its password ("pa").
        Assert.All(events, e => Assert.DoesNotContain("\"pa\"", System.Text.Encoding.UTF8.GetString(e.Data!)));
    }

    [Fact]
    public async Task A_disconnect_carries_the_clients_exact_traffic_and_reason()
    {
        await using var broker = await StartAsync();
        await using var system = await AsSystemAsync(broker.Url);
        await using var disconnects = await SubscribeAsync(system, "$SYS.ACCOUNT.A.DISCONNECT");

        var client = await AsAccountAAsync(broker.Url);
        await using (var sub = await client.SubscribeCoreAsync<string>("foo"))
        {
            await client.PingAsync();
            await client.PublishAsync("foo", "hello");
            await client.PublishAsync("bar", "abc");
            Assert.Equal("hello", (await NatsClients.ReadAsync(sub, 1)).Single().Data);
        }
        var cid = broker.Server.Context.Connections.Values.Single(c => c.Options.Name == "clientA").Id;
        await client.DisposeAsync();

        var advisory = Json((await NatsClients.ReadAsync(disconnects, 1)).Single());
        Assert.Equal("io.nats.server.advisory.v1.client_disconnect", Text(advisory, "type"));
        Assert.Equal((long)cid, Long(advisory, "client.id"));
        Assert.Equal("A", Text(advisory, "client.acc"));
        Assert.NotNull(Text(advisory, "client.stop"));
        // As nats-server: "sent" is what the client sent, "received" what it was given.
        Assert.Equal((2L, 8L), (Long(advisory, "sent.msgs"), Long(advisory, "sent.bytes")));
        Assert.Equal((1L, 5L), (Long(advisory, "received.msgs"), Long(advisory, "received.bytes")));
        Assert.Equal("Client Closed", Text(advisory, "reason"));
        await RequestAsync(system, "$SYS.REQ.SERVER.PING");
        Assert.Empty(Drain(disconnects));
    }

    [Fact]
    public async Task Account_connection_counts_follow_every_change_on_both_subjects()
    {
        await using var broker = await StartAsync();
        await using var system = await AsSystemAsync(broker.Url);
        await using var current = await SubscribeAsync(system, "$SYS.ACCOUNT.A.SERVER.CONNS");
        await using var legacy = await SubscribeAsync(system, "$SYS.SERVER.ACCOUNT.A.CONNS");

        var first = await AsAccountAAsync(broker.Url, "first");
        await first.PublishAsync("x", "1234");
        await first.PingAsync();
        await using var second = await AsAccountAAsync(broker.Url, "second");
        await first.DisposeAsync();
        var counts = (await NatsClients.ReadAsync(current, 3)).Select(Json).ToList();

        Assert.Equal([1L, 2L, 1L], counts.Select(c => Long(c, "conns")));
        Assert.Equal([1L, 2L, 1L], counts.Select(c => Long(c, "total_conns")));
        Assert.All(counts, c => Assert.Equal("io.nats.server.advisory.v1.account_connections", Text(c, "type")));
        Assert.All(counts, c => Assert.Equal("A", Text(c, "acc")));
        // The account's traffic, closed connections included: "received" is what its clients sent.
        Assert.Equal((1L, 4L), (Long(counts[2], "received.msgs"), Long(counts[2], "received.bytes")));
        Assert.Equal(0L, Long(counts[2], "sent.msgs"));
        var old = (await NatsClients.ReadAsync(legacy, 3)).Select(Json).ToList();
        // One event on two subjects: the same id.
        Assert.Equal(counts.Select(c => Text(c, "id")), old.Select(c => Text(c, "id")));

        await RequestAsync(system, "$SYS.REQ.SERVER.PING");
        Assert.Empty(Drain(current));
        Assert.Empty(Drain(legacy));
    }

    [Fact]
    public async Task Statsz_is_published_periodically_with_rising_sequence_numbers()
    {
        await using var broker = await StartAsync(o => o with { StatszInterval = TimeSpan.FromMilliseconds(200) });
        await using var system = await AsSystemAsync(broker.Url);
        await using var statsz = await SubscribeAsync(system, $"$SYS.SERVER.{broker.Server.Context.ServerId}.STATSZ");

        var messages = (await NatsClients.ReadAsync(statsz, 2)).Select(Json).ToList();

        Assert.True(Long(messages[1], "server.seq") > Long(messages[0], "server.seq"));
        Assert.Equal(1L, Long(messages[1], "statsz.connections"));
        Assert.Equal(1L, Long(messages[1], "statsz.active_accounts"));
        Assert.Equal(1L, Long(messages[1], "statsz.active_servers"));
        Assert.True(Long(messages[1], "statsz.total_connections") >= 1);
        Assert.True(Long(messages[1], "statsz.mem") > 0);
    }

    [Fact]
    public async Task A_refused_login_is_reported_without_its_secrets()
    {
        await using var broker = await StartAsync();
        await using var system = await AsSystemAsync(broker.Url);
        await using var errors = await SubscribeAsync(system, $"$SYS.SERVER.{broker.Server.Context.ServerId}.CLIENT.AUTH.ERR");

        await using (var raw = await RawClient.ConnectAsync(broker.Port))
        {
            await raw.SendAsync("CONNECT {\"verbose\":false,\"name\":\"intruder\",\"lang\":\"raw\",\"version\":\"1.0\",\"user\":\"a\",\"pass\":\"hunter2-wrong\",\"auth_token\":\"tok3n-secret\"}\r\nPING\r\n");
            Assert.Equal("-ERR 'Authorization Violation'\r\n", await raw.ReadToCloseAsync());
        }

        var message = (await NatsClients.ReadAsync(errors, 1)).Single();
        var text = System.Text.Encoding.UTF8.GetString(message.Data!);
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("tok3n", text);
        var advisory = Json(message);
        Assert.Equal("io.nats.server.advisory.v1.client_disconnect", Text(advisory, "type"));
        Assert.Equal("Authentication Failure", Text(advisory, "reason"));
        Assert.Equal("a", Text(advisory, "client.user"));
        Assert.Equal("intruder", Text(advisory, "client.name"));
        Assert.Equal("$G", Text(advisory, "client.acc"));
        Assert.NotNull(Text(advisory, "client.stop"));
        await RequestAsync(system, "$SYS.REQ.SERVER.PING");
        Assert.Empty(Drain(errors));
    }

    [Fact]
    public async Task The_global_account_gets_connection_counts_but_no_connect_or_disconnect()
    {
        // As nats-server: client advisories skip $G, whose clients are NATS 1.x-style and many.
        await using var broker = await StartAsync(o => o with { Users = [new UserOptions("g", "pg", AccountNames.Global)] });
        await using var system = await AsSystemAsync(broker.Url);
        // Past the system client's own connect advisory before listening (see the first test).
        await RequestAsync(system, "$SYS.REQ.SERVER.PING");
        await using var advisories = await SubscribeAsync(system, "$SYS.ACCOUNT.*.*");
        await using var counts = await SubscribeAsync(system, "$SYS.ACCOUNT.$G.SERVER.CONNS");

        var global = await NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = NatsAuthOpts.Default with { Username = "g", Password = "pg" } });
        await global.DisposeAsync();

        Assert.Equal([1L, 0L], (await NatsClients.ReadAsync(counts, 2)).Select(m => Long(Json(m), "conns")));
        await RequestAsync(system, "$SYS.REQ.SERVER.PING");
        Assert.Empty(Drain(advisories));
    }
}
