using System.Text;
using System.Text.Json;
using Broker.Configuration;
using Broker.Jwt;
using Broker.NKeys;
using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Accounts.LiveClaims;

/// <summary>
/// An operator, its system account and two accounts (A exports, B imports), minted fresh per test,
/// with a MEMORY-resolver config that Broker and nats-server 2.9 both start from.
/// </summary>
public sealed class OperatorSetup : IDisposable
{
    public NKeyPair Operator { get; } = NKeyPair.Create(NKeyType.Operator);
    public NKeyPair System { get; } = NKeyPair.Create(NKeyType.Account);
    public NKeyPair A { get; } = NKeyPair.Create(NKeyType.Account);
    public NKeyPair B { get; } = NKeyPair.Create(NKeyType.Account);
    public NKeyPair SigningKey { get; } = NKeyPair.Create(NKeyType.Account);

    /// <summary>A's scoped signing key: its users may not publish to <c>x</c>.</summary>
    public NKeyPair ScopedKey { get; } = NKeyPair.Create(NKeyType.Account);

    private readonly List<NKeyPair> _users = [];

    public void Dispose()
    {
        foreach (var key in new[] { Operator, System, A, B, SigningKey, ScopedKey }.Concat(_users)) key.Dispose();
    }

    public NKeyPair NewUser()
    {
        var user = NKeyPair.Create(NKeyType.User);
        _users.Add(user);
        return user;
    }

    /// <summary>An account JWT with Go's defaults (unlimited), shaped by the test, signed by the operator.</summary>
    public string AccountJwt(NKeyPair account, Action<AccountClaims>? shape = null, DateTimeOffset? issuedAt = null)
    {
        var claims = AccountClaims.For(account.PublicKey);
        shape?.Invoke(claims);
        return JwtEncoder.Encode(claims, Operator, issuedAt);
    }

    /// <summary>A scope that denies publishing to <paramref name="subject"/>, with Go's unlimited defaults otherwise.</summary>
    public UserScope Scope(string subject)
    {
        var scope = new UserScope { Key = ScopedKey.PublicKey, Role = "limited" };
        scope.Template.SetNoLimits();
        scope.Template.Pub = new Permission { Deny = [subject] };
        return scope;
    }

    /// <summary>A's first JWT: it knows <see cref="SigningKey"/> and <see cref="ScopedKey"/> (denying <c>x</c>), and exports streams <c>news.&gt;</c> and <c>other.&gt;</c>.</summary>
    public Action<AccountClaims> InitialA => c =>
    {
        c.Nats.SigningKeys = [];
        c.Nats.SigningKeys.Add(SigningKey.PublicKey);
        c.Nats.SigningKeys.Add(Scope("x"));
        c.Nats.Exports =
        [
            new Export { Subject = "news.>", Type = ExportTypes.Stream },
            new Export { Subject = "other.>", Type = ExportTypes.Stream },
        ];
    };

    /// <summary>B imports both of A's streams, and <c>later.&gt;</c>, which A does not export at first.</summary>
    public Action<AccountClaims> InitialB => c => c.Nats.Imports =
    [
        new Import { Account = A.PublicKey, Subject = "news.>", Type = ExportTypes.Stream },
        new Import { Account = A.PublicKey, Subject = "other.>", Type = ExportTypes.Stream },
        new Import { Account = A.PublicKey, Subject = "later.>", Type = ExportTypes.Stream },
    ];

    /// <summary>A user JWT of <paramref name="account"/> (signed by <paramref name="signer"/>, a signing key, when given).</summary>
    public static string UserJwt(NKeyPair account, NKeyPair user, Action<UserClaims>? shape = null, DateTimeOffset? issuedAt = null, NKeyPair? signer = null)
    {
        var claims = UserClaims.For(user.PublicKey);
        if (signer is not null) claims.Nats.IssuerAccount = account.PublicKey;
        shape?.Invoke(claims);
        return JwtEncoder.Encode(claims, signer ?? account, issuedAt);
    }

    public string Config(string? accountA = null) => $$"""
        operator: "{{JwtEncoder.Encode(new OperatorClaims { Subject = Operator.PublicKey, Name = "live" }, Operator)}}"
        system_account: {{System.PublicKey}}
        resolver: MEMORY
        resolver_preload {
          {{System.PublicKey}}: "{{AccountJwt(System)}}"
          {{A.PublicKey}}: "{{accountA ?? AccountJwt(A, InitialA, DateTimeOffset.UtcNow.AddMinutes(-10))}}"
          {{B.PublicKey}}: "{{AccountJwt(B, InitialB, DateTimeOffset.UtcNow.AddMinutes(-10))}}"
        }

        """;
}

/// <summary>Broker (in process) or nats-server 2.9 (a process), started from the same config.</summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly IAsyncDisposable _server;

    private ServerUnderTest(IAsyncDisposable server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }
    public string Url => $"nats://127.0.0.1:{Port}";

    /// <summary>The in-process broker, when this is one.</summary>
    public TestBroker? Broker => _server as TestBroker;

    public static async Task<ServerUnderTest> BrokerAsync(string config)
    {
        var broker = await TestBroker.StartAsync(o => BrokerConfigLoader.Parse(config) with { Host = o.Host, Port = o.Port });
        return new ServerUnderTest(broker, broker.Port);
    }

    public static async Task<ServerUnderTest> NatsServerAsync(string config)
    {
        var nats = await NatsServerProcess.StartAsync(config);
        return new ServerUnderTest(nats, nats.Port);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>A NATS.Net client of a JWT user; it does not reconnect, so a close is final.</summary>
    public Task<NatsConnection> ConnectAsync(string jwt, NKeyPair user) =>
        NatsClients.ConnectAsync(Url, o => o with { AuthOpts = NatsAuthOpts.Default with { Jwt = jwt, Seed = user.Seed }, MaxReconnectRetry = 0 });

    /// <summary>A raw client of a JWT user, past CONNECT and a PONG; <paramref name="user"/> null for a bearer JWT.</summary>
    public async Task<RawClient> ConnectRawAsync(string jwt, NKeyPair? user)
    {
        var raw = await RawClient.ConnectAsync(Port, readInfo: false);
        var info = await raw.ReadLineAsync();
        var signature = "";
        if (user is not null)
        {
            var nonce = JsonDocument.Parse(info["INFO ".Length..]).RootElement.GetProperty("nonce").GetString()!;
            signature = Convert.ToBase64String(user.Sign(Encoding.ASCII.GetBytes(nonce))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }
        await raw.SendAsync($"CONNECT {{\"verbose\":false,\"pedantic\":false,\"jwt\":\"{jwt}\",\"sig\":\"{signature}\",\"protocol\":1,\"headers\":true}}\r\nPING\r\n");
        await raw.ReadUntilAsync("PONG\r\n");
        return raw;
    }

    /// <summary>Pushes an account JWT as <c>nsc push</c> does for one account; returns the reply body.</summary>
    public static async Task<JsonElement> UpdateAsync(NatsConnection system, string account, string jwt)
    {
        var reply = await system.RequestAsync<string, string>($"$SYS.REQ.ACCOUNT.{account}.CLAIMS.UPDATE", jwt);
        return JsonDocument.Parse(reply.Data!).RootElement.Clone();
    }
}
