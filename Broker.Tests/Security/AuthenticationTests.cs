using Broker.Configuration;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Security;

/// <summary>Users, passwords, tokens and the no-auth user: the exact bytes on the wire, and NATS.Net end to end.</summary>
public class AuthenticationTests
{
    private static Task<TestBroker> StartAsync(string config) =>
        TestBroker.StartAsync(o => BrokerConfigLoader.Parse(config) with { Host = o.Host, Port = o.Port });

    // bob's password is stored as nats-server users store them with `nats server passwd`: bcrypt.
    private static readonly string Users =
        $"authorization {{ users: [ {{ user: alice, password: wonderland }}, {{ user: bob, password: \"{BCrypt.Net.BCrypt.HashPassword("builder", 4)}\" }} ] }}";

    [Fact]
    public async Task Info_announces_auth_required()
    {
        await using var broker = await StartAsync(Users);
        await using var raw = await RawClient.ConnectAsync(broker.Port, readInfo: false);
        var info = await raw.ReadLineAsync();
        Assert.Contains("\"headers\":true,\"auth_required\":true,", info);
    }

    [Fact]
    public async Task Wrong_password_is_an_authorization_violation_and_a_close()
    {
        await using var broker = await StartAsync(Users);
        await using var raw = await RawClient.ConnectAsync(broker.Port);
        await raw.SendAsync("CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"wrong\"}\r\nPING\r\n");
        Assert.Equal("-ERR 'Authorization Violation'\r\n", await raw.ReadToCloseAsync());
        Assert.Contains(broker.Log.Lines, l => l.Contains("authentication error"));
        Assert.DoesNotContain(broker.Log.Lines, l => l.Contains("wrong"));
    }

    [Fact]
    public async Task Wrong_password_for_a_bcrypt_user_is_an_authorization_violation()
    {
        await using var broker = await StartAsync(Users);
        await using var raw = await RawClient.ConnectAsync(broker.Port);
        await raw.SendAsync("CONNECT {\"verbose\":false,\"user\":\"bob\",\"pass\":\"not-builder\"}\r\nPING\r\n");
        Assert.Equal("-ERR 'Authorization Violation'\r\n", await raw.ReadToCloseAsync());
    }

    [Theory]
    [InlineData("\"$2a$11$...\"")]
    [InlineData("\"$2b$10$tooshort\"")]
    [InlineData("'$2y$99$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0'")]
    public void A_password_that_looks_like_bcrypt_but_is_not_is_refused_at_load(string password)
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse(
            $"authorization {{\n  users: [\n    {{ user: alice, password: wonderland }}\n    {{ user: carol, password: {password} }}\n  ]\n}}\n", "test.conf"));
        Assert.Equal(4, error.Line);
        Assert.Equal("authorization.users.password", error.Key);
        Assert.Contains("not a valid bcrypt hash", error.Message);
    }

    [Fact]
    public void A_valid_bcrypt_hash_loads_quoted_or_not()
    {
        var hash = BCrypt.Net.BCrypt.HashPassword("builder", 4).Replace("$2b$", "$2a$");
        Assert.Equal(hash, BrokerConfigLoader.Parse($"authorization {{ user: bob, password: {hash} }}").Users.Single().Password);
        Assert.Equal(hash, BrokerConfigLoader.Parse($"authorization {{ user: bob, password: \"{hash}\" }}").Users.Single().Password);
    }

    [Fact]
    public async Task An_operation_before_connect_is_refused_when_auth_is_required()
    {
        await using var broker = await StartAsync(Users);
        await using var raw = await RawClient.ConnectAsync(broker.Port);
        await raw.SendAsync("SUB foo 1\r\n");
        Assert.Equal("-ERR 'Authorization Violation'\r\n", await raw.ReadToCloseAsync());
    }

    [Fact]
    public async Task A_client_that_never_connects_gets_authentication_timeout()
    {
        await using var broker = await TestBroker.StartAsync(o => BrokerConfigLoader.Parse(Users) with
        {
            Host = o.Host, Port = o.Port, AuthTimeout = TimeSpan.FromMilliseconds(200),
        });
        await using var raw = await RawClient.ConnectAsync(broker.Port);
        Assert.Equal("-ERR 'Authentication Timeout'\r\n", await raw.ReadToCloseAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Plain_and_bcrypt_passwords_both_authenticate_with_NATS_Net()
    {
        await using var broker = await StartAsync(Users);
        await using var alice = await NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = NatsAuthOpts.Default with { Username = "alice", Password = "wonderland" } });
        await using var bob = await NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = NatsAuthOpts.Default with { Username = "bob", Password = "builder" } });
        await using var sub = await bob.SubscribeCoreAsync<string>("hello");
        await bob.PingAsync();
        await alice.PublishAsync("hello", "from alice");
        Assert.Equal("from alice", (await NatsClients.ReadAsync(sub, 1)).Single().Data);
        Assert.Contains(broker.Server.Context.Connections.Values, c => c.User == "bob");
    }

    [Fact]
    public async Task NATS_Net_with_bad_credentials_cannot_connect()
    {
        await using var broker = await StartAsync(Users);
        await using var client = new NatsConnection(NatsOpts.Default with
        {
            Url = broker.Url,
            AuthOpts = NatsAuthOpts.Default with { Username = "bob", Password = "not-builder" },
            MaxReconnectRetry = 0,
            ConnectTimeout = TimeSpan.FromSeconds(20),
        });
        var error = await Assert.ThrowsAnyAsync<NatsException>(async () => await client.ConnectAsync());
        Assert.Contains("Authorization Violation", error.ToString());
    }

    [Fact]
    public async Task Token_authentication()
    {
        await using var broker = await StartAsync("authorization { token: \"s3cr3t\" }");
        await using var good = await NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = NatsAuthOpts.Default with { Token = "s3cr3t" } });
        await good.PingAsync();
        await using var raw = await RawClient.ConnectAsync(broker.Port);
        await raw.SendAsync("CONNECT {\"auth_token\":\"guess\"}\r\n");
        Assert.Equal("-ERR 'Authorization Violation'\r\n", await raw.ReadToCloseAsync());
    }

    [Fact]
    public async Task No_auth_user_takes_clients_without_credentials_into_its_account()
    {
        await using var broker = await StartAsync("""
            accounts { A { users: [ { user: anon, password: x } ] } }
            authorization { users: [ { user: g, password: g } ] }
            no_auth_user: anon
            """);
        await using var anonymous = await NatsClients.ConnectAsync(broker.Url);
        await anonymous.PingAsync();
        var connection = Assert.Single(broker.Server.Context.Connections.Values);
        Assert.Equal(("anon", "A"), (connection.User, connection.Account.Name));

        // A telnet-style client may even start with PING.
        await using var raw = await RawClient.ConnectAsync(broker.Port);
        await raw.SendAsync("PING\r\n");
        Assert.Equal("PONG\r\n", await raw.ReadLineAsync());
    }
}
