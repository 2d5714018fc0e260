using System.Text.Json;
using Broker.Configuration;
using Broker.Jwt;
using Broker.NKeys;
using Broker.Tests.EndToEnd;
using NATS.Client.Core;

namespace Broker.Tests.Infrastructure;

/// <summary>
/// An operator, its system account, and helpers to mint account and user JWTs, write resolver
/// stores and configurations, and connect as the accounts' users (the operator-mode tests' shared setup).
/// </summary>
internal sealed class OperatorSetup : IDisposable
{
    public NKeyPair Operator { get; } = NKeyPair.Create(NKeyType.Operator);
    public NKeyPair System { get; } = NKeyPair.Create(NKeyType.Account);
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"broker-resolver-{Guid.NewGuid():N}");

    public OperatorSetup() => global::System.IO.Directory.CreateDirectory(Directory);

    public string OperatorJwt(Action<OperatorClaims>? shape = null)
    {
        var claims = new OperatorClaims { Subject = Operator.PublicKey };
        shape?.Invoke(claims);
        return JwtEncoder.Encode(claims, Operator);
    }

    public string AccountJwt(NKeyPair account, Action<AccountClaims>? shape = null, NKeyPair? signer = null, DateTimeOffset? issuedAt = null)
    {
        var claims = AccountClaims.For(account.PublicKey);
        shape?.Invoke(claims);
        return JwtEncoder.Encode(claims, signer ?? Operator, issuedAt);
    }

    /// <summary>A configuration of this operator with <paramref name="resolver"/> (text after <c>resolver</c>), the system account preloaded where there is a directory.</summary>
    public string Config(string resolver, string extra = "") =>
        $"operator: \"{OperatorJwt()}\"\nsystem_account: {System.PublicKey}\nresolver {resolver}\n{extra}";

    /// <summary>
    /// Options for a server with a full resolver whose store, <c>&lt;Directory&gt;/&lt;name&gt;/jwt</c>,
    /// holds the system account and <paramref name="accounts"/> at start.
    /// </summary>
    public BrokerOptions FullResolverOptions(string name, params NKeyPair[] accounts)
    {
        var directory = Path.Combine(Directory, name);
        var store = Path.Combine(directory, "jwt");
        Store(store, System);
        foreach (var account in accounts) Store(store, account);
        return BrokerConfigLoader.Parse(Config("{ type: full, dir: jwt }"), "test", directory);
    }

    /// <summary>Writes the account's JWT into <c>&lt;dir&gt;/&lt;key&gt;.jwt</c>, as a full resolver keeps it.</summary>
    public void Store(string directory, NKeyPair account, string? jwt = null)
    {
        global::System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, $"{account.PublicKey}.jwt"), jwt ?? AccountJwt(account));
    }

    public static Task<NatsConnection> ConnectAsync(string url, NKeyPair account, NKeyPair user) =>
        NatsClients.ConnectAsync(url, o => o with
        {
            AuthOpts = NatsAuthOpts.Default with { Jwt = JwtEncoder.Encode(UserClaims.For(user.PublicKey), account), Seed = user.Seed },
            MaxReconnectRetry = 0,
        });

    /// <summary>Connects as a fresh user of the system account.</summary>
    public Task<NatsConnection> ConnectSystemAsync(string url)
    {
        var user = NKeyPair.Create(NKeyType.User);
        return ConnectAsync(url, System, user);
    }

    public static async Task<JsonElement> RequestJsonAsync(NatsConnection connection, string subject, string body)
    {
        var reply = await connection.RequestAsync<string, string>(subject, body, replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromSeconds(10) });
        return JsonDocument.Parse(reply.Data!).RootElement.Clone();
    }

    public void Dispose()
    {
        try
        {
            global::System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A broker still shutting down may hold a file; the temp directory is left behind then.
        }
        Operator.Dispose();
        System.Dispose();
    }
}
