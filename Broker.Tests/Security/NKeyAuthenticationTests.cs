using System.Text;
using System.Text.Json;
using Broker.Configuration;
using Broker.NKeys;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Security;

/// <summary>NKey users: the client signs the nonce of its INFO with its seed; the server holds only public keys.</summary>
public class NKeyAuthenticationTests
{
    private static async Task<(TestBroker Broker, NKeyPair User)> StartAsync()
    {
        var user = NKeyPair.Create(NKeyType.User);
        var config = $$"""
            accounts { A { users: [ { nkey: "{{user.PublicKey}}", permissions: { publish: "a.>", subscribe: "a.>" } } ] } }
            """;
        return (await TestBroker.StartAsync(o => BrokerConfigLoader.Parse(config) with { Host = o.Host, Port = o.Port }), user);
    }

    [Fact]
    public async Task NATS_Net_connects_with_an_nkey_seed_and_lands_in_its_account()
    {
        var (broker, user) = await StartAsync();
        await using var _ = broker;
        await using var client = await NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = NatsAuthOpts.Default with { NKey = user.PublicKey, Seed = user.Seed } });
        await using var sub = await client.SubscribeCoreAsync<string>("a.x");
        await client.PingAsync();
        await client.PublishAsync("a.x", "signed in");
        Assert.Equal("signed in", (await NatsClients.ReadAsync(sub, 1)).Single().Data);
        var connection = Assert.Single(broker.Server.Context.Connections.Values);
        Assert.Equal((user.PublicKey, "A"), (connection.User, connection.Account.Name));
    }

    [Fact]
    public async Task Info_carries_a_fresh_nonce_and_a_signature_of_another_nonce_is_refused()
    {
        var (broker, user) = await StartAsync();
        await using var _ = broker;
        await using var first = await RawClient.ConnectAsync(broker.Port, readInfo: false);
        var nonce1 = NonceOf(await first.ReadLineAsync());
        await using var second = await RawClient.ConnectAsync(broker.Port, readInfo: false);
        var nonce2 = NonceOf(await second.ReadLineAsync());
        Assert.Equal(15, nonce1.Length);
        Assert.NotEqual(nonce1, nonce2);

        // A signature replayed from another connection proves nothing.
        var replayed = Convert.ToBase64String(user.Sign(Encoding.ASCII.GetBytes(nonce1))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await second.SendAsync($"CONNECT {{\"verbose\":false,\"nkey\":\"{user.PublicKey}\",\"sig\":\"{replayed}\"}}\r\nPING\r\n");
        Assert.Equal("-ERR 'Authorization Violation'\r\n", await second.ReadToCloseAsync());

        await first.SendAsync($"CONNECT {{\"verbose\":false,\"nkey\":\"{user.PublicKey}\",\"sig\":\"{replayed}\"}}\r\nPING\r\n");
        Assert.Equal("PONG\r\n", await first.ReadLineAsync());
    }

    [Fact]
    public async Task An_unknown_nkey_is_refused()
    {
        var (broker, _) = await StartAsync();
        await using var __ = broker;
        using var stranger = NKeyPair.Create(NKeyType.User);
        await using var client = new NatsConnection(NatsOpts.Default with
        {
            Url = broker.Url,
            AuthOpts = NatsAuthOpts.Default with { NKey = stranger.PublicKey, Seed = stranger.Seed },
            MaxReconnectRetry = 0,
            ConnectTimeout = TimeSpan.FromSeconds(20),
        });
        var error = await Assert.ThrowsAnyAsync<NatsException>(async () => await client.ConnectAsync());
        Assert.Contains("Authorization Violation", error.ToString());
    }

    [Fact]
    public void Config_refuses_a_key_that_is_not_a_user_nkey()
    {
        using var account = NKeyPair.Create(NKeyType.Account);
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse($"authorization {{ users: [ {{ nkey: \"{account.PublicKey}\" }} ] }}"));
        Assert.Contains("is not a valid user NKey", error.Message);
    }

    private static string NonceOf(string infoLine) =>
        JsonDocument.Parse(infoLine["INFO ".Length..].Trim()).RootElement.GetProperty("nonce").GetString()!;
}
