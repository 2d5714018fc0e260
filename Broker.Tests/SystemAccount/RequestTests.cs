using System.Text;
using System.Text.Json.Nodes;
using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using static Broker.Tests.SystemAccount.SystemAccountSetup;

namespace Broker.Tests.SystemAccount;

/// <summary>The <c>$SYS.REQ</c> subjects, asked with NATS.Net from the system account, with exact counts.</summary>
public class RequestTests
{
    [Fact]
    public async Task Ping_answers_statsz_with_the_servers_counts()
    {
        await using var broker = await StartAsync();
        await using var system = await AsSystemAsync(broker.Url);
        await using var client = await AsAccountAAsync(broker.Url);
        await using var sub = await client.SubscribeCoreAsync<string>("foo");
        await client.PingAsync();
        var internalSubscriptions = broker.Server.Context.Accounts["SYS"].Index.SubscriptionCount - 1;

        foreach (var subject in new[] { "$SYS.REQ.SERVER.PING", "$SYS.REQ.SERVER.PING.STATSZ", $"$SYS.REQ.SERVER.{broker.Server.Context.ServerId}.STATSZ" })
        {
            var answer = await RequestAsync(system, subject);
            Assert.Equal(["server", "statsz"], answer.Select(p => p.Key));
            Assert.Equal(broker.Server.Context.ServerId, Text(answer, "server.id"));
            Assert.Equal(2L, Long(answer, "statsz.connections"));
            Assert.Equal(2L, Long(answer, "statsz.total_connections"));
            Assert.Equal(2L, Long(answer, "statsz.active_accounts"));
            // The system client's and NATS.Net's reply inboxes, A's "foo", and the request subjects themselves.
            Assert.Equal(3L + internalSubscriptions, Long(answer, "statsz.subscriptions"));
        }
    }

    [Fact]
    public async Task Varz_connz_and_subsz_answer_the_monitoring_data_by_ping_and_by_server_id()
    {
        await using var broker = await StartAsync();
        await using var system = await AsSystemAsync(broker.Url);
        await using var client = await AsAccountAAsync(broker.Url);
        await using var sub = await client.SubscribeCoreAsync<string>("foo");
        await client.PingAsync();
        var id = broker.Server.Context.ServerId;
        var total = broker.Server.Context.Accounts.All.Sum(a => a.Index.SubscriptionCount);

        foreach (var prefix in new[] { "$SYS.REQ.SERVER.PING", $"$SYS.REQ.SERVER.{id}" })
        {
            var varz = await RequestAsync(system, $"{prefix}.VARZ");
            Assert.Equal(["server", "data"], varz.Select(p => p.Key));
            Assert.Equal(id, Text(varz, "data.server_id"));
            Assert.Equal(2L, Long(varz, "data.connections"));
            Assert.Equal("SYS", Text(varz, "data.system_account"));
            Assert.True((bool)varz["data"]!["auth_required"]!);

            var connz = await RequestAsync(system, $"{prefix}.CONNZ");
            Assert.Equal(2L, Long(connz, "data.num_connections"));
            Assert.Equal(["sysmon", "clientA"], Connections(connz).Select(c => (string?)c!["name"]));

            var subsz = await RequestAsync(system, $"{prefix}.SUBSZ");
            Assert.Equal(total, Long(subsz, "data.num_subscriptions"));
            Assert.Null(subsz["data"]!["subscriptions_list"]);
        }
    }

    [Fact]
    public async Task The_request_body_carries_the_endpoint_options()
    {
        await using var broker = await StartAsync();
        await using var system = await AsSystemAsync(broker.Url);
        await using var client = await AsAccountAAsync(broker.Url);
        await using var sub = await client.SubscribeCoreAsync<string>("foo.bar");
        await client.PingAsync();

        var connz = await RequestAsync(system, "$SYS.REQ.SERVER.PING.CONNZ", """{"auth":true,"subscriptions":true,"sort":"cid","limit":1,"offset":1}""");
        var only = Assert.Single(Connections(connz))!;
        Assert.Equal(2L, Long(connz, "data.total"));
        Assert.Equal("a", (string?)only["authorized_user"]);
        Assert.Equal("A", (string?)only["account"]);
        Assert.Contains("foo.bar", only["subscriptions_list"]!.AsArray().Select(s => (string?)s));

        var subsz = await RequestAsync(system, "$SYS.REQ.SERVER.PING.SUBSZ", """{"subscriptions":true,"account":"A","test":"foo.bar"}""");
        var listed = subsz["data"]!["subscriptions_list"]!.AsArray();
        Assert.Equal("foo.bar", (string?)Assert.Single(listed)!["subject"]);
        Assert.Equal(1L, Long(subsz, "data.total"));

        // Go's JSON matches field names without regard to case; so does this.
        var upper = await RequestAsync(system, "$SYS.REQ.SERVER.PING.CONNZ", """{"LIMIT":1}""");
        Assert.Equal(1L, Long(upper, "data.limit"));
    }

    [Fact]
    public async Task Account_requests_see_only_that_account()
    {
        await using var broker = await StartAsync();
        await using var system = await AsSystemAsync(broker.Url);
        await using var client = await AsAccountAAsync(broker.Url);
        await using var sub1 = await client.SubscribeCoreAsync<string>("a.one");
        await using var sub2 = await client.SubscribeCoreAsync<string>("a.two", queueGroup: "q");
        await client.PingAsync();

        var connz = await RequestAsync(system, "$SYS.REQ.ACCOUNT.A.CONNZ");
        Assert.Equal(["clientA"], Connections(connz).Select(c => (string?)c!["name"]));

        var subsz = await RequestAsync(system, "$SYS.REQ.ACCOUNT.A.SUBSZ");
        var subjects = subsz["data"]!["subscriptions_list"]!.AsArray().Select(s => (string?)s!["subject"]).Order().ToArray();
        // NATS.Net's own reply inbox is A's third subscription.
        Assert.Equal(3, subjects.Length);
        Assert.Contains("a.one", subjects);
        Assert.Contains("a.two", subjects);
        Assert.All(subsz["data"]!["subscriptions_list"]!.AsArray(), s => Assert.Equal("A", (string?)s!["account"]));
        Assert.Equal(3L, Long(subsz, "data.num_subscriptions"));

        var nobody = await RequestAsync(system, "$SYS.REQ.ACCOUNT.nope.CONNZ");
        Assert.Equal(0L, Long(nobody, "data.total"));
    }

    [Fact]
    public async Task Bad_options_get_nats_servers_error_codes()
    {
        await using var broker = await StartAsync();
        await using var system = await AsSystemAsync(broker.Url);

        var unreadable = await RequestAsync(system, "$SYS.REQ.SERVER.PING.CONNZ", "{bad");
        Assert.Equal(["server", "error"], unreadable.Select(p => p.Key));
        Assert.Equal(400L, Long(unreadable, "error.code"));
        var wrongType = await RequestAsync(system, "$SYS.REQ.SERVER.PING.STATSZ", """{"server_name":5}""");
        Assert.Equal(400L, Long(wrongType, "error.code"));
        var refused = await RequestAsync(system, "$SYS.REQ.SERVER.PING.CONNZ", """{"sort":"bogus"}""");
        Assert.Equal(500L, Long(refused, "error.code"));
        Assert.Equal("invalid sorting option: bogus", Text(refused, "error.description"));
    }

    [Fact]
    public async Task A_server_the_filter_excludes_stays_silent()
    {
        await using var broker = await StartAsync();
        await using var system = await AsSystemAsync(broker.Url);
        await using var replies = await SubscribeAsync(system, "replies.>");

        // The actor answers in order: when the second answer arrives, the first would have come before it.
        await system.PublishAsync("$SYS.REQ.SERVER.PING.VARZ", Encoding.UTF8.GetBytes("""{"server_name":"elsewhere"}"""), replyTo: "replies.filtered");
        await system.PublishAsync("$SYS.REQ.SERVER.PING.VARZ", Encoding.UTF8.GetBytes("""{"server_name":"even"}"""), replyTo: "replies.matched");

        Assert.Equal("replies.matched", (await NatsClients.ReadAsync(replies, 1)).Single().Subject);
    }

    [Fact]
    public async Task A_ping_without_a_reply_asks_for_a_statsz_broadcast()
    {
        await using var broker = await StartAsync();
        await using var system = await AsSystemAsync(broker.Url);
        await using var statsz = await SubscribeAsync(system, $"$SYS.SERVER.{broker.Server.Context.ServerId}.STATSZ");

        await system.PublishAsync("$SYS.REQ.SERVER.PING", Array.Empty<byte>());

        Assert.Equal(1L, Long(Json((await NatsClients.ReadAsync(statsz, 1)).Single()), "statsz.connections"));
    }

    [Fact]
    public async Task Other_accounts_cannot_reach_the_system_requests()
    {
        await using var broker = await StartAsync();
        await using var client = await AsAccountAAsync(broker.Url);

        await Assert.ThrowsAsync<NatsNoRespondersException>(async () => await client.RequestAsync<byte[], byte[]>("$SYS.REQ.SERVER.PING", []));
    }

    [Fact]
    public async Task Without_a_system_account_nothing_answers()
    {
        await using var broker = await StartAsync(o => o with { NoSystemAccount = true });
        await using var client = await AsAccountAAsync(broker.Url);

        Assert.Null(broker.Server.Context.SystemEvents);
        await Assert.ThrowsAsync<NatsNoRespondersException>(async () => await client.RequestAsync<byte[], byte[]>("$SYS.REQ.SERVER.PING", []));
    }

    private static JsonArray Connections(JsonObject answer) => answer["data"]!["connections"]!.AsArray();
}
