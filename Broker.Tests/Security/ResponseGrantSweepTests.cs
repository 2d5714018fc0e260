using System.Text;
using Broker.Configuration;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Security;

/// <summary>Review hazard (issue 13): allow_responses grants for requests never answered are swept once expired.</summary>
public class ResponseGrantSweepTests
{
    private const string Config = """
        authorization {
          users: [
            { user: responder, password: p, permissions: { publish: "nothing", subscribe: "svc.>", allow_responses: { max: 1, expires: "50ms" } } }
            { user: requester, password: p }
          ]
        }
        """;

    [Fact]
    public async Task Grants_for_requests_never_answered_do_not_pile_up()
    {
        await using var broker = await TestBroker.StartAsync(o => BrokerConfigLoader.Parse(Config) with { Host = o.Host, Port = o.Port });
        await using var responder = await RawClient.ConnectAsync(broker.Port);
        await responder.SendAsync("CONNECT {\"verbose\":false,\"user\":\"responder\",\"pass\":\"p\"}\r\nSUB svc.a 1\r\nPING\r\n");
        await responder.ReadUntilAsync("PONG\r\n");
        var connection = broker.Server.Context.Connections.Values.Single();
        await using var requester = await RawClient.ConnectAsync(broker.Port);
        await requester.SendAsync("CONNECT {\"verbose\":false,\"user\":\"requester\",\"pass\":\"p\"}\r\nPING\r\n");
        await requester.ReadUntilAsync("PONG\r\n");

        // Rounds of 3,000 requests, each with its own reply subject, none answered; each round's grants expire before the next.
        for (var round = 0; round < 4; round++)
        {
            var requests = new StringBuilder();
            for (var i = 0; i < 3000; i++) requests.Append($"PUB svc.a reply.{round}.{i} 1\r\nx\r\n");
            await requester.SendAsync(requests.Append("PING\r\n").ToString());
            await requester.ReadUntilAsync("PONG\r\n");
            await responder.SendAsync("PING\r\n");
            await responder.ReadUntilAsync("PONG\r\n", TimeSpan.FromSeconds(10));
            var expired = DateTime.UtcNow.AddMilliseconds(100);
            while (DateTime.UtcNow < expired) await Task.Delay(20); // the grants' own expiry (50 ms) must pass: time is the subject here
        }
        // 12,000 grants were made; only the live ones plus one sweep interval may be held.
        Assert.True(connection.ResponseGrantCount <= 2 * 4096, $"{connection.ResponseGrantCount} grants held");
    }
}
