using System.Text;
using System.Text.Json;
using Broker.Configuration;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Accounts;

/// <summary>Accounts, exports and imports through the official NATS.Net client.</summary>
public class AccountsEndToEndTests
{
    private const string Config = """
        accounts {
          A {
            users: [ { user: a, password: pa } ]
            exports: [
              { stream: "pub.>" }
              { stream: "only.b.>", accounts: [B] }
              { service: "svc.>" }
              { service: "many.>", response_type: stream, response_threshold: "10s" }
              { service: "timed.>", latency: { sampling: "100%", subject: "lat.timed" } }
            ]
          }
          B {
            users: [ { user: b, password: pb } ]
            imports: [
              { stream: { account: A, subject: "pub.>" }, prefix: from_a }
              { stream: { account: A, subject: "only.b.x" }, to: "mine.x" }
              { service: { account: A, subject: "svc.help" }, to: help }
              { service: { account: A, subject: "many.parts" } }
              { service: { account: A, subject: "timed.op" } }
            ]
          }
          C { users: [ { user: c, password: pc } ] }
        }
        """;

    private static Task<TestBroker> StartAsync() =>
        TestBroker.StartAsync(o => BrokerConfigLoader.Parse(Config) with { Host = o.Host, Port = o.Port });

    private static Task<NatsConnection> As(TestBroker broker, string user, string password) =>
        NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = NatsAuthOpts.Default with { Username = user, Password = password } });

    /// <summary>
    /// Proves a message did NOT arrive: after the cross-account publish is processed (PING), a
    /// marker from the subscriber's own account lands in the same ordered output; the marker must
    /// come first.
    /// </summary>
    private static async Task AssertNothingBeforeMarker(INatsSub<string> sub, NatsConnection ownAccount, string markerSubject)
    {
        await ownAccount.PublishAsync(markerSubject, "marker");
        var first = (await NatsClients.ReadAsync(sub, 1)).Single();
        Assert.Equal(markerSubject, first.Subject);
    }

    [Fact]
    public async Task Accounts_are_isolated_without_imports()
    {
        await using var broker = await StartAsync();
        await using var a = await As(broker, "a", "pa");
        await using var c = await As(broker, "c", "pc");
        await using var inA = await a.SubscribeCoreAsync<string>("foo");
        await using var inC = await c.SubscribeCoreAsync<string>("foo");
        await using var markerC = await c.SubscribeCoreAsync<string>("marker");
        await a.PingAsync();
        await c.PingAsync();

        await a.PublishAsync("foo", "secret");
        await a.PingAsync();

        Assert.Equal("secret", (await NatsClients.ReadAsync(inA, 1)).Single().Data);
        await c.PublishAsync("foo", "marker");
        Assert.Equal("marker", (await NatsClients.ReadAsync(inC, 1)).Single().Data);
    }

    [Fact]
    public async Task Stream_import_with_prefix_and_with_to_remaps_subjects()
    {
        await using var broker = await StartAsync();
        await using var a = await As(broker, "a", "pa");
        await using var b = await As(broker, "b", "pb");
        await using var prefixed = await b.SubscribeCoreAsync<string>("from_a.pub.>");
        await using var mapped = await b.SubscribeCoreAsync<string>("mine.x");
        await b.PingAsync();

        await a.PublishAsync("pub.news", "hello");
        await a.PublishAsync("only.b.x", "private");

        var got = (await NatsClients.ReadAsync(prefixed, 1)).Single();
        Assert.Equal(("from_a.pub.news", "hello"), (got.Subject, got.Data));
        var privateMsg = (await NatsClients.ReadAsync(mapped, 1)).Single();
        Assert.Equal(("mine.x", "private"), (privateMsg.Subject, privateMsg.Data));
    }

    [Fact]
    public async Task Imported_stream_does_not_leak_to_an_account_that_did_not_import_it()
    {
        await using var broker = await StartAsync();
        await using var a = await As(broker, "a", "pa");
        await using var c = await As(broker, "c", "pc");
        await using var sub = await c.SubscribeCoreAsync<string>(">");
        await c.PingAsync();

        await a.PublishAsync("pub.news", "for importers only");
        await a.PingAsync();

        await AssertNothingBeforeMarker(sub, c, "c.marker");
    }

    [Fact]
    public async Task Service_import_routes_request_and_reply_through_a_mapped_reply_subject()
    {
        await using var broker = await StartAsync();
        await using var a = await As(broker, "a", "pa");
        await using var b = await As(broker, "b", "pb");
        string? replySeenByResponder = null;
        await using var service = await a.SubscribeCoreAsync<string>("svc.help");
        await a.PingAsync();
        var responder = Task.Run(async () =>
        {
            var request = (await NatsClients.ReadAsync(service, 1)).Single();
            replySeenByResponder = request.ReplyTo;
            await request.ReplyAsync($"answer to {request.Data} on {request.Subject}");
        });

        var reply = await b.RequestAsync<string, string>("help", "question");
        await responder;

        Assert.Equal("answer to question on svc.help", reply.Data);
        Assert.StartsWith("_R_.", replySeenByResponder);
    }

    [Fact]
    public async Task Singleton_service_delivers_one_response_and_stream_service_delivers_all()
    {
        await using var broker = await StartAsync();
        await using var a = await As(broker, "a", "pa");
        await using var b = await As(broker, "b", "pb");
        await using var single = await a.SubscribeCoreAsync<string>("svc.help");
        await using var many = await a.SubscribeCoreAsync<string>("many.parts");
        await using var inbox = await b.SubscribeCoreAsync<string>("inbox.b.>");
        await a.PingAsync();
        await b.PingAsync();

        await b.PublishAsync("help", "q1", replyTo: "inbox.b.1");
        var r1 = (await NatsClients.ReadAsync(single, 1)).Single();
        await a.PublishAsync(r1.ReplyTo!, "first");
        await a.PublishAsync(r1.ReplyTo!, "second is dropped");
        await b.PublishAsync("many.parts", "q2", replyTo: "inbox.b.2");
        var r2 = (await NatsClients.ReadAsync(many, 1)).Single();
        await a.PublishAsync(r2.ReplyTo!, "part 1");
        await a.PublishAsync(r2.ReplyTo!, "part 2");

        var replies = await NatsClients.ReadAsync(inbox, 3);
        Assert.Equal([("inbox.b.1", "first"), ("inbox.b.2", "part 1"), ("inbox.b.2", "part 2")], replies.Select(m => (m.Subject, m.Data!)));
    }

    [Fact]
    public async Task Request_to_an_imported_service_without_responders_fails_fast()
    {
        await using var broker = await StartAsync();
        await using var b = await As(broker, "b", "pb");
        await Assert.ThrowsAsync<NatsNoRespondersException>(async () => await b.RequestAsync<string, string>("help", "anyone?"));
    }

    [Fact]
    public async Task Service_latency_samples_are_published_in_the_exporting_account()
    {
        await using var broker = await StartAsync();
        await using var a = await As(broker, "a", "pa");
        await using var b = await As(broker, "b", "pb");
        await using var latency = await a.SubscribeCoreAsync<string>("lat.timed");
        await using var service = await a.SubscribeCoreAsync<string>("timed.op");
        await a.PingAsync();
        var responder = Task.Run(async () => await (await NatsClients.ReadAsync(service, 1)).Single().ReplyAsync("done"));

        Assert.Equal("done", (await b.RequestAsync<string, string>("timed.op", "go")).Data);
        await responder;

        using var sample = JsonDocument.Parse((await NatsClients.ReadAsync(latency, 1)).Single().Data!);
        var root = sample.RootElement;
        Assert.Equal("io.nats.server.metric.v1.service_latency", root.GetProperty("type").GetString());
        Assert.Equal(200, root.GetProperty("status").GetInt32());
        Assert.Equal("B", root.GetProperty("requestor").GetProperty("acc").GetString());
        Assert.Equal("A", root.GetProperty("responder").GetProperty("acc").GetString());
        Assert.True(root.GetProperty("total").GetInt64() > 0);
        Assert.True(root.GetProperty("service").GetInt64() > 0);
    }

    [Fact]
    public async Task Clients_without_accounts_config_stay_in_the_global_account()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var one = await NatsClients.ConnectAsync(broker.Url);
        await using var two = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await two.SubscribeCoreAsync<string>("g");
        await two.PingAsync();
        await one.PublishAsync("g", "global");
        Assert.Equal("global", (await NatsClients.ReadAsync(sub, 1)).Single().Data);
        Assert.All(broker.Server.Context.Connections.Values, c => Assert.Equal("$G", c.Account.Name));
    }
}
