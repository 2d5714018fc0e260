using System.Text;
using System.Text.Json;
using Broker.Jwt;
using Broker.NKeys;
using Broker.Tests.Differential;
using Broker.Tests.Infrastructure;
using Broker.Tests.LeafNodes;

namespace Broker.Tests.Accounts.LiveClaims;

/// <summary>
/// A JWT limit of 0 allows none (jwt v2 writes unlimited as -1), as nats-server 2.9.10 reads it:
/// account <c>conn</c>, <c>leaf</c>, <c>subs</c> and <c>payload</c>, and a user's own <c>subs</c> and
/// <c>payload</c>. Each scenario returns the bytes a raw client (or leaf) got, the same on Broker and
/// on nats-server (that half skips where it is not installed).
/// </summary>
public sealed class ZeroLimitTests : IDisposable
{
    private readonly OperatorSetup _keys = new();

    public void Dispose() => _keys.Dispose();

    private string Config(Action<AccountClaims> limitA, int leafPort) =>
        _keys.Config(_keys.AccountJwt(_keys.A, c => { _keys.InitialA(c); limitA(c); }, DateTimeOffset.UtcNow.AddMinutes(-10)))
        + $"leafnodes {{ listen: \"127.0.0.1:{leafPort}\" }}\n";

    private async Task<string> RunAsync(bool onNatsServer, Action<AccountClaims> limitA, Func<ServerUnderTest, int, Task<string>> scenario)
    {
        var leafPort = LeafTestSupport.FreePort();
        var config = Config(limitA, leafPort);
        await using var server = onNatsServer ? await ServerUnderTest.NatsServerAsync(config) : await ServerUnderTest.BrokerAsync(config);
        return await scenario(server, leafPort);
    }

    private static string Sign(NKeyPair user, string info)
    {
        var nonce = JsonDocument.Parse(info["INFO ".Length..]).RootElement.GetProperty("nonce").GetString()!;
        return Convert.ToBase64String(user.Sign(Encoding.ASCII.GetBytes(nonce))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>A raw client of a JWT user sends CONNECT, then <paramref name="then"/> and PING; returns what came back up to the PONG or the close (PINGs and INFOs left out).</summary>
    private static async Task<string> ClientAsync(int port, string jwt, NKeyPair user, string then = "", bool untilClose = false)
    {
        await using var raw = await RawClient.ConnectAsync(port, readInfo: false);
        var signature = Sign(user, await raw.ReadLineAsync());
        await raw.SendAsync($"CONNECT {{\"verbose\":false,\"pedantic\":false,\"jwt\":\"{jwt}\",\"sig\":\"{signature}\",\"protocol\":1,\"headers\":true}}\r\n{then}PING\r\n");
        var got = untilClose ? await raw.ReadToCloseAsync(TimeSpan.FromSeconds(20)) : await UntilPongOrCloseAsync(raw);
        // Asynchronous INFO updates (nats-server sends one to an account client here) are not what the limit does,
        // nor is how often it says so: nats-server 2.9.10 now and then sends the same -ERR twice in a row.
        var lines = got.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Where(l => l != "PING" && !l.StartsWith("INFO ", StringComparison.Ordinal)).ToList();
        return string.Concat(lines.Where((l, i) => i == 0 || !l.StartsWith("-ERR", StringComparison.Ordinal) || l != lines[i - 1]).Select(l => l + "\r\n"));
    }

    /// <summary>A raw leaf of a JWT user: what the hub answered its CONNECT and PING with (INFO and LS+ left out).</summary>
    private static async Task<string> LeafAsync(int leafPort, string jwt, NKeyPair user, Func<Task<string>>? whileOpen = null)
    {
        await using var raw = await RawClient.ConnectAsync(leafPort, readInfo: false);
        var signature = Sign(user, await raw.ReadLineAsync());
        var name = $"rawleaf-{Guid.NewGuid():N}";
        await raw.SendAsync($"CONNECT {{\"jwt\":\"{jwt}\",\"sig\":\"{signature}\",\"server_id\":\"{name}\",\"name\":\"{name}\",\"headers\":true}}\r\nPING\r\n");
        var got = string.Concat((await UntilPongOrCloseAsync(raw)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("INFO ", StringComparison.Ordinal) && !l.StartsWith("LS+ ", StringComparison.Ordinal) && l != "PING").Select(l => l + "\r\n"));
        return whileOpen is null ? got : $"{got}|{await whileOpen()}";
    }

    private static async Task<string> UntilPongOrCloseAsync(RawClient raw)
    {
        try
        {
            return await raw.ReadUntilAsync("PONG\r\n");
        }
        catch (IOException)
        {
            return raw.Pending;
        }
    }

    private string UserJwt(NKeyPair user, Action<UserClaims>? shape = null) => OperatorSetup.UserJwt(_keys.A, user, shape);

    private Task<string> ConnectionsAsync(bool onNatsServer) => RunAsync(onNatsServer, c => c.Nats.Limits!.Connections = 0, (server, _) =>
    {
        var user = _keys.NewUser();
        return ClientAsync(server.Port, UserJwt(user), user);
    });

    private Task<string> AccountSubscriptionsAsync(bool onNatsServer) => RunAsync(onNatsServer, c => c.Nats.Limits!.Subs = 0, (server, _) =>
    {
        var user = _keys.NewUser();
        return ClientAsync(server.Port, UserJwt(user), user, "SUB a 1\r\n");
    });

    private Task<string> AccountPayloadAsync(bool onNatsServer) => RunAsync(onNatsServer, c => c.Nats.Limits!.Payload = 0, (server, _) =>
    {
        var user = _keys.NewUser();
        return ClientAsync(server.Port, UserJwt(user), user, "PUB a 0\r\n\r\nPING\r\nPUB a 1\r\nx\r\n", untilClose: true);
    });

    private Task<string> UserSubscriptionsAsync(bool onNatsServer) => RunAsync(onNatsServer, _ => { }, (server, _) =>
    {
        var user = _keys.NewUser();
        return ClientAsync(server.Port, UserJwt(user, u => u.Nats.Subs = 0), user, "SUB a 1\r\n");
    });

    private Task<string> UserPayloadAsync(bool onNatsServer) => RunAsync(onNatsServer, _ => { }, (server, _) =>
    {
        var user = _keys.NewUser();
        return ClientAsync(server.Port, UserJwt(user, u => u.Nats.Payload = 0), user, "PUB a 1\r\nx\r\n");
    });

    private Task<string> NoLeavesAsync(bool onNatsServer) => RunAsync(onNatsServer, c => c.Nats.Limits!.LeafNodeConnections = 0, (_, leafPort) =>
    {
        var user = _keys.NewUser();
        return LeafAsync(leafPort, UserJwt(user), user);
    });

    private const string OverConnections = "-ERR 'maximum account active connections exceeded'\r\n";
    private const string OverSubscriptions = "-ERR 'maximum subscriptions exceeded'\r\nPONG\r\n";
    private const string OverPayload = "PONG\r\n-ERR 'Maximum Payload Violation'\r\n";
    private const string UserOverPayload = "-ERR 'Maximum Payload Violation'\r\n";

    [Fact] public async Task A_conn_limit_of_0_admits_no_client() => Assert.Equal(OverConnections, await ConnectionsAsync(false));
    [NatsServerFact] public async Task A_conn_limit_of_0_admits_no_client_on_nats_server() => Assert.Equal(OverConnections, await ConnectionsAsync(true));

    [Fact] public async Task An_account_subs_limit_of_0_admits_no_subscription() => Assert.Equal(OverSubscriptions, await AccountSubscriptionsAsync(false));
    [NatsServerFact] public async Task An_account_subs_limit_of_0_admits_no_subscription_on_nats_server() => Assert.Equal(OverSubscriptions, await AccountSubscriptionsAsync(true));

    [Fact] public async Task An_account_payload_limit_of_0_admits_only_empty_messages() => Assert.Equal(OverPayload, await AccountPayloadAsync(false));
    [NatsServerFact] public async Task An_account_payload_limit_of_0_admits_only_empty_messages_on_nats_server() => Assert.Equal(OverPayload, await AccountPayloadAsync(true));

    [Fact] public async Task A_user_subs_limit_of_0_admits_no_subscription() => Assert.Equal(OverSubscriptions, await UserSubscriptionsAsync(false));
    [NatsServerFact] public async Task A_user_subs_limit_of_0_admits_no_subscription_on_nats_server() => Assert.Equal(OverSubscriptions, await UserSubscriptionsAsync(true));

    [Fact] public async Task A_user_payload_limit_of_0_admits_no_payload() => Assert.Equal(UserOverPayload, await UserPayloadAsync(false));
    [NatsServerFact] public async Task A_user_payload_limit_of_0_admits_no_payload_on_nats_server() => Assert.Equal(UserOverPayload, await UserPayloadAsync(true));

    [Fact] public async Task A_leaf_limit_of_0_admits_no_leaf() => Assert.Equal(OverConnections, await NoLeavesAsync(false));
    [NatsServerFact] public async Task A_leaf_limit_of_0_admits_no_leaf_on_nats_server() => Assert.Equal(OverConnections, await NoLeavesAsync(true));
}
