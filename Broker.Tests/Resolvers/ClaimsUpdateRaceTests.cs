using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Broker.Configuration;
using Broker.Jwt;
using Broker.NKeys;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Resolvers;

/// <summary>
/// A new account pushed with <c>$SYS.REQ.CLAIMS.UPDATE</c> becomes visible to connecting users only
/// once it is usable: a user that connects while the update is being applied is either refused
/// (<c>Authorization Violation</c>, the account is not there yet) or served, never anything else,
/// and once the update is answered every connect is served.
/// </summary>
public sealed class ClaimsUpdateRaceTests : IDisposable
{
    private const int Iterations = 40;
    private const int Racers = 3;
    private const string Served = "PONG\r\n";
    private const string Refused = "-ERR 'Authorization Violation'\r\n";

    private readonly OperatorSetup _setup = new();

    public void Dispose() => _setup.Dispose();

    private Task<TestBroker> StartAsync()
    {
        var directory = Path.Combine(_setup.Directory, "jwt");
        _setup.Store(directory, _setup.System);
        var config = _setup.Config("{ type: full, dir: jwt }");
        return TestBroker.StartAsync(o => BrokerConfigLoader.Parse(config, "test", _setup.Directory) with { Host = o.Host, Port = o.Port });
    }

    /// <summary>One raw connect of a JWT user: the first line the server answers CONNECT+PING with, or what it sent before closing.</summary>
    private static async Task<string> ConnectOnceAsync(int port, string jwt, NKeyPair user)
    {
        await using var raw = await RawClient.ConnectAsync(port, readInfo: false);
        var info = await raw.ReadLineAsync();
        var nonce = JsonDocument.Parse(info["INFO ".Length..]).RootElement.GetProperty("nonce").GetString()!;
        var signature = Convert.ToBase64String(user.Sign(Encoding.ASCII.GetBytes(nonce))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await raw.SendAsync($"CONNECT {{\"verbose\":false,\"pedantic\":false,\"jwt\":\"{jwt}\",\"sig\":\"{signature}\",\"protocol\":1}}\r\nPING\r\n");
        try
        {
            return await raw.ReadLineAsync();
        }
        catch (IOException)
        {
            return $"closed after '{raw.Pending}'";
        }
    }

    [Fact]
    public async Task Connects_racing_a_new_accounts_update_are_refused_or_served_and_served_once_it_is_answered()
    {
        await using var broker = await StartAsync();
        await using var system = await _setup.ConnectSystemAsync(broker.Url);
        var unexpected = new ConcurrentBag<string>();
        var servedDuringUpdate = 0;
        for (var i = 0; i < Iterations; i++)
        {
            using var account = NKeyPair.Create(NKeyType.Account);
            using var user = NKeyPair.Create(NKeyType.User);
            var jwt = JwtEncoder.Encode(UserClaims.For(user.PublicKey), account);
            using var stop = new CancellationTokenSource();
            var racers = Enumerable.Range(0, Racers).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var answer = await ConnectOnceAsync(broker.Port, jwt, user);
                    if (answer == Served) Interlocked.Increment(ref servedDuringUpdate);
                    else if (answer != Refused) unexpected.Add(answer);
                }
            })).ToArray();

            var reply = await OperatorSetup.RequestJsonAsync(system, "$SYS.REQ.CLAIMS.UPDATE", _setup.AccountJwt(account));
            Assert.Equal("jwt updated", reply.GetProperty("data").GetProperty("message").GetString());
            Assert.Equal(Served, await ConnectOnceAsync(broker.Port, jwt, user));
            await stop.CancelAsync();
            await Task.WhenAll(racers);
        }
        Assert.True(unexpected.IsEmpty, $"{unexpected.Count} connects got neither a PONG nor a refusal, e.g. {unexpected.FirstOrDefault()}");
    }
}
