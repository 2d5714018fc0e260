using System.Text;
using Broker.Configuration;
using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using static Broker.Tests.Gateways.TestSupercluster;

namespace Broker.Tests.Gateways;

/// <summary>
/// <c>gateway { tls }</c>: messages between regions cross encrypted (a recording proxy on the link
/// sees only TLS records), a region whose certificate another CA issued is refused, and so is a
/// region whose certificate names another host than the one dialed, unless <c>insecure</c>.
/// </summary>
public sealed class GatewayTlsTests : IDisposable
{
    private readonly LinkCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Payload_bytes_between_regions_appear_on_the_wire_only_without_tls(bool tls)
    {
        var options = tls ? _certificates.Options() : null;
        await using var proxy = new RecordingProxy();
        // East reaches west through the proxy: what east publishes for west's subscribers crosses it.
        await using var super = await TestSupercluster.StartAsync(1, o => o, (name, gateway) =>
        {
            gateway = gateway with { Tls = options };
            if (name != "east") return gateway;
            proxy.TargetPort = gateway.Remotes.Single().Urls[0].Port;
            return gateway with { Remotes = [gateway.Remotes[0] with { Urls = [new ClusterEndpoint("127.0.0.1", proxy.Port)] }] };
        }, "east", "west");
        var (east, west) = (super["east"][0], super["west"][0]);
        await using var onWest = await NatsClients.ConnectAsync(west.Url);
        await using var secrets = await onWest.SubscribeCoreAsync<string>("payroll.secret.>");
        await WaitRegionInterestAsync(east, "payroll.secret.>");

        var payload = $"TOP-SECRET-{Guid.NewGuid():N}";
        await using var onEast = await NatsClients.ConnectAsync(east.Url);
        await onEast.PublishAsync("payroll.secret.salary", payload);
        Assert.Equal(payload, (await NatsClients.ReadAsync(secrets, 1)).Single().Data);

        var wire = Encoding.ASCII.GetString(proxy.Recorded);
        if (!tls)
        {
            // The control: the same recording shows the payload when the link is plain.
            Assert.Contains(payload, wire);
            return;
        }
        Assert.DoesNotContain(payload, wire);
        Assert.DoesNotContain("payroll.secret", wire);
        // A TLS handshake record opens the connection.
        Assert.Equal(0x16, proxy.Recorded[0]);
    }

    [Fact]
    public async Task A_region_with_a_certificate_from_another_CA_is_refused()
    {
        await using var westOnly = await TestSupercluster.StartAsync(1, o => o, (_, gateway) => gateway with { Tls = _certificates.Options() }, "west");
        var west = westOnly["west"][0];
        var westPort = int.Parse(Gateway(west).GatewayUrl.Split(':')[^1]);
        await using var eastOnly = await TestSupercluster.StartAsync(1, o => o, (_, gateway) => gateway with
        {
            Tls = _certificates.Options("mallory"),
            Remotes = [new RemoteGatewayOptions("west", [new ClusterEndpoint("127.0.0.1", westPort)])],
        }, "east");
        var east = eastOnly["east"][0];

        var log = (Broker.Tests.Infrastructure.RecordingServerLog)west.Server.Context.Log;
        await log.WaitForAsync(l => l.Contains("Gateway connection from") && l.Contains("TLS handshake failed"), TimeSpan.FromSeconds(20));

        Assert.DoesNotContain(Gateway(east).Regions, r => r.Established);
        Assert.Empty(Gateway(west).Inbound!.Connections);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_region_whose_certificate_names_another_host_is_refused_unless_insecure(bool insecure)
    {
        await using var westOnly = await TestSupercluster.StartAsync(1, o => o, (_, gateway) => gateway with { Tls = _certificates.Options("elsewhere") }, "west");
        var west = westOnly["west"][0];
        var westPort = int.Parse(Gateway(west).GatewayUrl.Split(':')[^1]);
        await using var eastOnly = await TestSupercluster.StartAsync(1, o => o, (_, gateway) => gateway with
        {
            Tls = _certificates.Options() with { Insecure = insecure },
            Remotes = [new RemoteGatewayOptions("west", [new ClusterEndpoint("127.0.0.1", westPort)])],
        }, "east");
        var east = eastOnly["east"][0];

        if (insecure)
        {
            await Eventually.Async(() => Gateway(east).Regions.Any(r => r.Established), "east reaching west with insecure: true");
            return;
        }
        // East's own handshake fails on the name (the same certificate passes with insecure: true); it never links.
        var log = (RecordingServerLog)east.Server.Context.Log;
        await log.WaitForAsync(l => l.Contains("Gateway \"west\"") && l.Contains("rejected by the provided RemoteCertificateValidationCallback"), TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(Gateway(east).Regions, r => r.Established);
        // East keeps retrying, so a connection may be mid-handshake; none ever got as far as CONNECT.
        Assert.DoesNotContain(Gateway(west).Inbound!.Connections, c => c.State.From is not null);
    }
}
