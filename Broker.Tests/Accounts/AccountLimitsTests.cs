using Broker.Configuration;
using Broker.Jwt;
using Broker.NKeys;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Accounts;

/// <summary>Account limits (from the account's limits block or its JWT) enforced with nats-server's errors.</summary>
public class AccountLimitsTests
{
    private const string Config = """
        accounts {
          SMALL {
            users: [ { user: s, password: p } ]
            limits { max_connections: 1, max_subscriptions: 2, max_payload: 8 }
          }
        }
        """;

    private static async Task<RawClient> ConnectAsync(TestBroker broker)
    {
        var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync("CONNECT {\"verbose\":false,\"user\":\"s\",\"pass\":\"p\"}\r\n");
        return client;
    }

    [Fact]
    public async Task Connections_subscriptions_and_payload_are_limited_per_account()
    {
        await using var broker = await TestBroker.StartAsync(o => BrokerConfigLoader.Parse(Config) with { Host = o.Host, Port = o.Port });
        await using var first = await ConnectAsync(broker);
        await first.SendAsync("SUB a 1\r\nSUB b 2\r\nSUB c 3\r\nPUB a 8\r\n12345678\r\nPING\r\n");
        Assert.Equal("-ERR 'maximum subscriptions exceeded'\r\nMSG a 1 8\r\n12345678\r\nPONG\r\n", await first.ReadUntilAsync("PONG\r\n"));

        await using var second = await ConnectAsync(broker);
        await second.SendAsync("PING\r\n");
        Assert.Equal("-ERR 'maximum account active connections exceeded'\r\n", await second.ReadToCloseAsync());

        await first.SendAsync("PUB a 9\r\n123456789\r\n");
        Assert.Equal("-ERR 'Maximum Payload Violation'\r\n", await first.ReadToCloseAsync());
    }

    [Fact]
    public async Task NATS_Net_sees_the_account_connection_limit()
    {
        await using var broker = await TestBroker.StartAsync(o => BrokerConfigLoader.Parse(Config) with { Host = o.Host, Port = o.Port });
        NatsOpts Small(NatsOpts o) => o with { AuthOpts = NatsAuthOpts.Default with { Username = "s", Password = "p" }, MaxReconnectRetry = 0 };
        await using var first = await NatsClients.ConnectAsync(broker.Url, Small);
        await first.PingAsync();

        await using var second = new NatsConnection(Small(NatsOpts.Default with { Url = broker.Url, ConnectTimeout = TimeSpan.FromSeconds(20) }));
        var error = await Assert.ThrowsAnyAsync<NatsException>(async () => await second.ConnectAsync());
        Assert.Contains("maximum account active connections exceeded", error.ToString());
        await first.PingAsync();
    }

    [Fact]
    public async Task A_freed_slot_admits_the_next_connection()
    {
        await using var broker = await TestBroker.StartAsync(o => BrokerConfigLoader.Parse(Config) with { Host = o.Host, Port = o.Port });
        var first = await ConnectAsync(broker);
        await first.SendAsync("PING\r\n");
        await first.ReadUntilAsync("PONG\r\n");
        var connection = Assert.Single(broker.Server.Context.Connections.Values);
        await first.DisposeAsync();
        await connection.Completion;

        await using var next = await ConnectAsync(broker);
        await next.SendAsync("PING\r\n");
        Assert.Equal("PONG\r\n", await next.ReadLineAsync());
    }

    [Fact]
    public void Account_jwt_limits_become_account_limits()
    {
        using var op = NKeyPair.Create(NKeyType.Operator);
        using var account = NKeyPair.Create(NKeyType.Account);
        var claims = AccountClaims.For(account.PublicKey);
        claims.Nats.Limits!.Connections = 5;
        claims.Nats.Limits.Subs = 7;
        claims.Nats.Limits.Payload = 1024;
        var config = $"operator: \"{JwtEncoder.Encode(new OperatorClaims { Subject = op.PublicKey }, op)}\"\nresolver: MEMORY\nresolver_preload {{ {account.PublicKey}: \"{JwtEncoder.Encode(claims, op)}\" }}\n";
        Assert.Equal(new AccountLimits(5, 7, 1024), BrokerConfigLoader.Parse(config).Accounts.Single().Limits);
    }
}
