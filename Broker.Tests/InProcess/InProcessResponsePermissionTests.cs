using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using Broker.Configuration;
using Broker.InProcess;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.InProcess;

/// <summary>allow_responses for an in-process responder: a reply subject it received may be published to, within max and expiry, and grants are swept as a network client's are.</summary>
public class InProcessResponsePermissionTests
{
    private const string Config = """
        authorization {
          users: [
            { user: responder, password: p, permissions: { publish: "nothing", subscribe: "svc.>", allow_responses: { max: 1, expires: "%EXPIRES%" } } }
            { user: requester, password: p }
          ]
        }
        """;

    private static Func<BrokerOptions, BrokerOptions> With(string expires) =>
        o => BrokerConfigLoader.Parse(Config.Replace("%EXPIRES%", expires)) with { Host = o.Host, Port = o.Port };

    [Fact]
    public async Task An_in_process_responder_may_answer_once_what_it_was_asked_and_nothing_else()
    {
        await using var broker = await TestBroker.StartAsync(With("1m"));
        await using var responder = broker.Server.ConnectInProcess(InProcessIdentity.User("responder"), "responder");
        await using var served = await responder.ServeAsync("svc.time", _ => ValueTask.FromResult<Reply?>(Reply.Text("noon")));

        // A network requester gets its answer: the responder's publish to the reply subject is granted.
        await using var requester = await NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = new NATS.Client.Core.NatsAuthOpts { Username = "requester", Password = "p" } });
        Assert.Equal("noon", (await requester.RequestAsync<string, string>("svc.time", "")).Data);

        // A reply subject it received may be used once (max 1); any other subject stays refused.
        var (subscribed, asked) = responder.Subscribe("svc.raw").Take(1).ToMaterialized(Sink.First<BrokerMessage>(), Keep.Both).Run(broker.System.Materializer());
        await subscribed;
        await requester.PublishAsync("svc.raw", "q", replyTo: "answers.1");
        var reply = (await asked.WaitAsync(TimeSpan.FromSeconds(10))).ReplyTo!;
        await responder.PublishAsync(reply, Encoding.UTF8.GetBytes("a"));
        var again = await Assert.ThrowsAsync<PermissionViolationException>(() => responder.PublishAsync(reply, Encoding.UTF8.GetBytes("b")).AsTask());
        Assert.Equal("Permissions Violation for Publish to \"answers.1\"", again.Message);
        Assert.Throws<PermissionViolationException>(() => responder.Publish("answers.2", "c"u8));
    }

    [Fact]
    public async Task Grants_for_requests_an_in_process_responder_never_answered_do_not_pile_up()
    {
        await using var broker = await TestBroker.StartAsync(With("50ms"));
        await using var responder = broker.Server.ConnectInProcess(InProcessIdentity.User("responder"), "silent");
        var (subscribed, _) = responder.Subscribe("svc.a", bufferSize: 20_000, overflow: OverflowStrategy.DropHead).ToMaterialized(Sink.Ignore<BrokerMessage>(), Keep.Both).Run(broker.System.Materializer());
        await subscribed;
        await using var requester = broker.Server.ConnectInProcess(InProcessIdentity.User("requester"), "asking");

        // Rounds of 3,000 requests with their own reply subjects, none answered; each round's grants expire before the next.
        for (var round = 0; round < 4; round++)
        {
            for (var i = 0; i < 3000; i++) requester.Publish("svc.a", "x"u8, replyTo: $"reply.{round}.{i}");
            var expired = DateTime.UtcNow.AddMilliseconds(100);
            while (DateTime.UtcNow < expired) await Task.Delay(20); // the grants' own expiry (50 ms) must pass: time is the subject here
        }
        // 12,000 grants were made (deliveries are made on the publisher's thread); only the live ones plus one sweep interval may be held.
        Assert.True(responder.ResponseGrantCount > 0, "grants were made");
        Assert.True(responder.ResponseGrantCount <= 2 * 4096, $"{responder.ResponseGrantCount} grants held");
    }
}
