using System.Text;
using Broker.Configuration;
using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using static Broker.Tests.LeafNodes.LeafTestSupport;

namespace Broker.Tests.LeafNodes;

/// <summary>
/// <c>leafnodes.tls</c> with <c>verify</c>: a Broker leaf and a nats-server leaf present client
/// certificates to a Broker hub (and a Broker leaf to a nats-server hub); a leaf whose certificate
/// another CA issued is refused; a recording proxy on the link never sees a payload in the clear.
/// </summary>
public sealed class LeafTlsTests : IDisposable
{
    private readonly LinkCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    private Task<TestBroker> StartVerifyingHubAsync() =>
        StartHubAsync(configure: o => o with
        {
            LeafNodes = o.LeafNodes! with { Tls = BrokerConfigLoader.Parse($"tls {{ {_certificates.Block()}, verify: true }}").Tls },
        });

    private LeafRemoteOptions Remote(int port, string certificate = "node") =>
        BrokerConfigLoader.Parse($"leafnodes {{ remotes: [ {{ url: \"nats://127.0.0.1:{port}\", tls: {{ {_certificates.Block(certificate)} }} }} ] }}")
            .LeafNodes!.Remotes[0] with { ReconnectBase = TimeSpan.FromMilliseconds(200) };

    private Task<TestBroker> StartTlsLeafAsync(int port, string certificate = "node") =>
        TestBroker.StartAsync(o => o with { LeafNodes = new LeafNodeOptions { Listens = false, Remotes = [Remote(port, certificate)] } });

    [Fact]
    public async Task A_Broker_leaf_with_a_client_certificate_reaches_a_verifying_Broker_hub_and_no_payload_crosses_in_the_clear()
    {
        await using var hub = await StartVerifyingHubAsync();
        await using var proxy = new RecordingProxy { TargetPort = hub.Server.LeafNodeEndpoint!.Port };
        await using var leaf = await StartTlsLeafAsync(proxy.Port);
        await WaitLinkAsync(hub);
        await AssertSecretCrossesEncryptedAsync(proxy, hub, leaf.Url, () => WaitInterestAsync(hub, "payroll.>"), () => WaitInterestAsync(leaf, "payroll.>"));
    }

    [NatsServerFact]
    public async Task A_nats_server_leaf_with_a_client_certificate_reaches_a_verifying_Broker_hub_and_no_payload_crosses_in_the_clear()
    {
        await using var hub = await StartVerifyingHubAsync();
        await using var proxy = new RecordingProxy { TargetPort = hub.Server.LeafNodeEndpoint!.Port };
        await using var leaf = await StartNatsLeafAsync($"nats://127.0.0.1:{proxy.Port}", remoteExtra: $", tls: {{ {_certificates.Block()} }}");
        await WaitLinkAsync(hub);
        await AssertSecretCrossesEncryptedAsync(proxy, hub, $"nats://127.0.0.1:{leaf.Port}", () => WaitInterestAsync(hub, "payroll.>"), () => WaitNatsInterestAsync(leaf, "payroll.>"));
    }

    [NatsServerFact]
    public async Task A_Broker_leaf_with_a_client_certificate_reaches_a_verifying_nats_server_hub()
    {
        var leafPort = FreePort();
        await using var hub = await NatsServerProcess.StartAsync(
            $"server_name: natshub\nleafnodes {{\n  listen: \"127.0.0.1:{leafPort}\"\n  tls {{ {_certificates.Block()}, verify: true }}\n}}\n");
        await using var proxy = new RecordingProxy { TargetPort = leafPort };
        await using var leaf = await StartTlsLeafAsync(proxy.Port);
        await WaitLinkAsync(leaf);
        await using var onLeaf = await NatsClients.ConnectAsync(leaf.Url);
        await using var onHub = await NatsClients.ConnectAsync($"nats://127.0.0.1:{hub.Port}");
        await using var atHub = await onHub.SubscribeCoreAsync<string>("payroll.>");
        await WaitInterestAsync(leaf, "payroll.>");
        var payload = $"TOP-SECRET-{Guid.NewGuid():N}";
        await onLeaf.PublishAsync("payroll.salary", payload);
        Assert.Equal(payload, (await NatsClients.ReadAsync(atHub, 1)).Single().Data);
        Assert.DoesNotContain(payload, Encoding.ASCII.GetString(proxy.Recorded));
    }

    [Fact]
    public async Task A_leaf_whose_certificate_another_CA_issued_is_refused()
    {
        await using var hub = await StartVerifyingHubAsync();
        await using var leaf = await StartTlsLeafAsync(hub.Server.LeafNodeEndpoint!.Port, "mallory");
        await hub.Log.WaitForAsync(l => l.Contains("TLS handshake error"), TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(LinksOf(hub), l => l.IsEstablished);
        Assert.DoesNotContain(LinksOf(leaf), l => l.IsEstablished);
    }

    /// <summary>A secret payload each way; the recording shows the hub's INFO in the clear (TLS follows it, as 2.9) and never the payload.</summary>
    private static async Task AssertSecretCrossesEncryptedAsync(RecordingProxy proxy, TestBroker hub, string leafUrl, Func<Task> hubKnowsLeaf, Func<Task> leafKnowsHub)
    {
        await using var onHub = await NatsClients.ConnectAsync(hub.Url);
        await using var onLeaf = await NatsClients.ConnectAsync(leafUrl);
        await using var atLeaf = await onLeaf.SubscribeCoreAsync<string>("payroll.>");
        await hubKnowsLeaf();
        await using var atHub = await onHub.SubscribeCoreAsync<string>("payroll.>");
        await leafKnowsHub();
        var down = $"TOP-SECRET-{Guid.NewGuid():N}";
        var up = $"TOP-SECRET-{Guid.NewGuid():N}";
        await onHub.PublishAsync("payroll.down", down);
        await onLeaf.PublishAsync("payroll.up", up);
        Assert.Equal(down, (await NatsClients.ReadAsync(atLeaf, 2)).First(m => m.Subject == "payroll.down").Data);
        Assert.Equal(up, (await NatsClients.ReadAsync(atHub, 2)).First(m => m.Subject == "payroll.up").Data);
        var wire = Encoding.ASCII.GetString(proxy.Recorded);
        Assert.StartsWith("INFO {", wire);
        Assert.DoesNotContain(down, wire);
        Assert.DoesNotContain(up, wire);
        Assert.DoesNotContain("payroll.", wire);
    }
}
