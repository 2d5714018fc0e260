using Broker.Configuration;
using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Security;

/// <summary>User permissions: the exact -ERR texts (compared with nats-server when it is installed) and NATS.Net end to end.</summary>
public class PermissionsTests
{
    private const string Config = """
        authorization {
          users: [
            { user: u, password: p, permissions: {
                publish: { allow: ["a.>", "svc.reply"], deny: ["a.secret"] }
                subscribe: { allow: ["a.>", "q.* workers", "_INBOX.>"], deny: ["a.hidden"] } } }
            { user: short, password: p, permissions: { publish: "only.this", subscribe: ["x", "y.>"] } }
            { user: responder, password: p, permissions: { publish: "nothing", subscribe: "svc.>", allow_responses: true } }
            { user: admin, password: p }
          ]
        }
        """;

    private static Task<TestBroker> StartAsync() =>
        TestBroker.StartAsync(o => BrokerConfigLoader.Parse(Config) with { Host = o.Host, Port = o.Port });

    public static TheoryData<string> Transcripts => new()
    {
        // Denied publish, denied subscribe (plain, wrong queue, denied subject), the server's reply prefix, and delivery filtering.
        "CONNECT {\"verbose\":true,\"user\":\"u\",\"pass\":\"p\"}\r\nPUB b.x 1\r\nx\r\nPUB a.secret 1\r\nx\r\nSUB b.> 1\r\nSUB q.x 2\r\nSUB q.x workers 3\r\nSUB q.x other 4\r\nSUB a.hidden 5\r\nSUB a.* 6\r\nPUB a.x _R_.abc 1\r\nx\r\nPUB a.hidden 1\r\nx\r\nPUB a.y 1\r\nx\r\nPING\r\n",
        "CONNECT {\"verbose\":false,\"user\":\"short\",\"pass\":\"p\"}\r\nPUB only.this 1\r\nx\r\nPUB other 1\r\nx\r\nSUB x 1\r\nSUB y.z 2\r\nSUB z 3\r\nPING\r\n",
        "CONNECT {\"verbose\":false,\"user\":\"nobody\",\"pass\":\"p\"}\r\nPING\r\n",
        "CONNECT {\"verbose\":false,\"user\":\"u\",\"pass\":\"wrong\"}\r\nPING\r\n",
        "PING\r\n",
    };

    [NatsServerTheory]
    [MemberData(nameof(Transcripts))]
    public async Task Answers_are_the_same_as_nats_server(string input)
    {
        await using var nats = await NatsServerProcess.StartAsync(Config);
        await using var broker = await StartAsync();
        Assert.Equal(await Transcript.RunAsync(nats.Port, input), await Transcript.RunAsync(broker.Port, input));
    }

    [Fact]
    public async Task Denied_publish_and_subscribe_get_errors_and_the_connection_stays_open()
    {
        await using var broker = await StartAsync();
        await using var raw = await RawClient.ConnectAsync(broker.Port);
        await raw.SendAsync("CONNECT {\"verbose\":false,\"user\":\"u\",\"pass\":\"p\"}\r\nSUB a.* 1\r\nPUB nope 1\r\nx\r\nSUB nope 2\r\nPUB a.hidden 1\r\nx\r\nPUB a.ok 1\r\ny\r\nPING\r\n");
        Assert.Equal(
            "-ERR 'Permissions Violation for Publish to \"nope\"'\r\n-ERR 'Permissions Violation for Subscription to \"nope\"'\r\nMSG a.ok 1 1\r\ny\r\nPONG\r\n",
            await raw.ReadUntilAsync("PONG\r\n"));
        Assert.Contains(broker.Log.Lines, l => l.Contains("Publish Violation - User \"u\", Subject \"nope\""));
    }

    [Fact]
    public async Task Allow_responses_lets_a_responder_answer_once_on_a_reply_subject_it_cannot_publish_to()
    {
        await using var broker = await StartAsync();
        await using var admin = await NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = NatsAuthOpts.Default with { Username = "admin", Password = "p" } });
        await using var responder = await NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = NatsAuthOpts.Default with { Username = "responder", Password = "p" } });
        await using var service = await responder.SubscribeCoreAsync<string>("svc.echo");
        await responder.PingAsync();
        var serving = Task.Run(async () =>
        {
            var request = (await NatsClients.ReadAsync(service, 1)).Single();
            await request.ReplyAsync($"echo {request.Data}");
        });

        var reply = await admin.RequestAsync<string, string>("svc.echo", "hi");
        await serving;
        Assert.Equal("echo hi", reply.Data);

        // The grant was for one response: a second publish to the same inbox is a violation.
        await using var raw = await RawClient.ConnectAsync(broker.Port);
        await raw.SendAsync("CONNECT {\"verbose\":false,\"user\":\"responder\",\"pass\":\"p\"}\r\nPUB anywhere 1\r\nx\r\nPING\r\n");
        Assert.Equal("-ERR 'Permissions Violation for Publish to \"anywhere\"'\r\nPONG\r\n", await raw.ReadUntilAsync("PONG\r\n"));
    }

    [Fact]
    public async Task NATS_Net_sees_a_permission_violation_without_losing_the_connection()
    {
        await using var broker = await StartAsync();
        await using var client = await NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = NatsAuthOpts.Default with { Username = "short", Password = "p" } });
        await using var sub = await client.SubscribeCoreAsync<string>("x");
        await client.PublishAsync("other", "denied");
        await client.PingAsync();
        await client.PublishAsync("only.this", "allowed");
        await using var admin = await NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = NatsAuthOpts.Default with { Username = "admin", Password = "p" } });
        await admin.PublishAsync("x", "still connected");
        Assert.Equal("still connected", (await NatsClients.ReadAsync(sub, 1)).Single().Data);
        Assert.Equal(NatsConnectionState.Open, client.ConnectionState);
    }
}
