using Broker.Tests.Infrastructure;
using Broker.Jwt;
using Broker.NKeys;
using Broker.Tests.Cluster;
using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using static Broker.Tests.LeafNodes.LeafTestSupport;

namespace Broker.Tests.LeafNodes;

/// <summary>A Broker leaf proving itself to a nats-server hub in operator mode with a .creds file (the seed signs the hub's nonce).</summary>
public sealed class LeafOperatorModeTests : IDisposable
{
    private readonly NKeyPair _operator = NKeyPair.Create(NKeyType.Operator);
    private readonly NKeyPair _account = NKeyPair.Create(NKeyType.Account);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"broker-leafop-{Guid.NewGuid():N}");

    public LeafOperatorModeTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        _operator.Dispose();
        _account.Dispose();
    }

    private string Creds()
    {
        using var user = NKeyPair.Create(NKeyType.User);
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.creds");
        File.WriteAllText(path, CredsFile.Format(JwtEncoder.Encode(UserClaims.For(user.PublicKey), _account), user.Seed));
        return path;
    }

    [NatsServerFact]
    public async Task A_creds_file_binds_the_leaf_to_its_account_on_an_operator_mode_hub()
    {
        var claims = AccountClaims.For(_account.PublicKey);
        claims.Name = "EDGE";
        var operatorJwt = JwtEncoder.Encode(new OperatorClaims { Subject = _operator.PublicKey, Name = "op" }, _operator);
        var leafPort = FreePort();
        await using var hub = await NatsServerProcess.StartAsync($$"""
            server_name: ophub
            http_port: -1
            operator: "{{operatorJwt}}"
            resolver: MEMORY
            resolver_preload { {{_account.PublicKey}}: "{{JwtEncoder.Encode(claims, _operator)}}" }
            leafnodes { listen: "127.0.0.1:{{leafPort}}" }
            """);
        await using var leaf = await StartLeafAsync($"nats://127.0.0.1:{leafPort}", r => r with { Credentials = Creds() });
        await WaitLinkAsync(leaf);
        await using var onHub = await NatsClients.ConnectAsync($"nats://127.0.0.1:{hub.Port}", o => o with { AuthOpts = NatsAuthOpts.Default with { CredsFile = Creds() } });
        await using var onLeaf = await NatsClients.ConnectAsync(leaf.Url);

        await using var atHub = await onHub.SubscribeCoreAsync<string>("edge.up");
        await WaitInterestAsync(leaf, "edge.up");
        await onLeaf.PublishAsync("edge.up", "signed in");
        Assert.Equal("signed in", (await NatsClients.ReadAsync(atHub, 1))[0].Data);
    }

    [NatsServerFact]
    public async Task A_leaf_with_a_creds_file_of_an_unknown_account_is_refused()
    {
        using var other = NKeyPair.Create(NKeyType.Operator);
        var leafPort = FreePort();
        await using var hub = await NatsServerProcess.StartAsync($$"""
            operator: "{{JwtEncoder.Encode(new OperatorClaims { Subject = other.PublicKey, Name = "other" }, other)}}"
            resolver: MEMORY
            leafnodes { listen: "127.0.0.1:{{leafPort}}" }
            """);
        await using var leaf = await StartLeafAsync($"nats://127.0.0.1:{leafPort}", r => r with { Credentials = Creds() });
        await Eventually.Async(() => leaf.Server.Context.LeafNodes!.Remotes[0].FailedAttempts >= 2, "two refused attempts");
        Assert.DoesNotContain(LinksOf(leaf), l => l.IsEstablished && !l.IsClosed);
        Assert.Contains(leaf.Log.Lines, l => l.Contains("Authorization Violation", StringComparison.Ordinal));
    }
}
