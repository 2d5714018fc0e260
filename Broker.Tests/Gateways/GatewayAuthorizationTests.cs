using System.Text;
using Broker.Configuration;
using Broker.Gateways;
using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using static Broker.Tests.Gateways.TestSupercluster;

namespace Broker.Tests.Gateways;

/// <summary>
/// Regions with <c>gateway { authorization, reject_unknown_cluster }</c>: linked regions work; a
/// raw socket on the gateway port without the credentials, or for a region not listed, is closed
/// before it is sent anything and delivers nothing; an authenticated region cannot send replies
/// for another region.
/// </summary>
public class GatewayAuthorizationTests
{
    private static readonly LinkAuthorization Authorization = new() { User = "gw-user", Password = "gw-secret" };

    private static Task<TestSupercluster> StartAsync() =>
        TestSupercluster.StartAsync(1, o => o, (_, gateway) => gateway with { Authorization = Authorization, RejectUnknown = true, Tls = null }, "east", "west");

    private static int GatewayPort(TestCluster.Node node) => int.Parse(Gateway(node).GatewayUrl.Split(':')[^1]);

    private static byte[] Connect(string region, LinkCredentials? credentials) =>
        GatewayFrames.Encode(new GatewayFrames.ConnectFrame(region, $"stranger-{Guid.NewGuid():N}", "127.0.0.1:1") { Credentials = credentials });

    [Theory]
    [InlineData("no credentials", "east", null, null)]
    [InlineData("a wrong password", "east", "gw-user", "wrong")]
    [InlineData("a region not listed", "north", "gw-user", "gw-secret")]
    public async Task A_raw_socket_on_the_gateway_port_reads_no_interest_and_delivers_nothing(string what, string region, string? user, string? password)
    {
        await using var super = await StartAsync();
        var (east, west) = (super["east"][0], super["west"][0]);
        await using var onWest = await NatsClients.ConnectAsync(west.Url);
        await using var secrets = await onWest.SubscribeCoreAsync<string>("payroll.secret.>");
        // The real region, with the credentials, sees the interest: the links work with authorization on.
        await WaitRegionInterestAsync(east, "payroll.secret.>");

        using var socket = await LinkSockets.ConnectAsync(GatewayPort(west));
        await socket.SendAsync(Connect(region, user is null ? null : new LinkCredentials(user, password)));
        await socket.SendAsync(LinkSockets.Messages("$G", "payroll.secret.injected", "", "from a raw socket"));
        var (closed, received) = await LinkSockets.ReadUntilClosedAsync(socket);

        Assert.True(closed, $"a socket with {what} was kept");
        Assert.Empty(received);
        Assert.DoesNotContain("payroll", Encoding.ASCII.GetString(received));
        await AssertOnlyEastsMessageArrivesAsync(east, secrets);
    }

    [Fact]
    public async Task An_authenticated_region_cannot_send_replies_for_another_region()
    {
        await using var super = await StartAsync();
        var (east, west) = (super["east"][0], super["west"][0]);
        await using var onWest = await NatsClients.ConnectAsync(west.Url);
        await using var secrets = await onWest.SubscribeCoreAsync<string>("payroll.secret.>");
        await WaitRegionInterestAsync(east, "payroll.secret.>");

        using var socket = await LinkSockets.ConnectAsync(GatewayPort(west));
        await socket.SendAsync(Connect("east", new LinkCredentials("gw-user", "gw-secret")));
        // Its own region's reply prefix is fine; then a reply that would send west's responder's answer to a third region.
        var own = $"_GR_.{GatewayReplies.Tag("east")}.ABCDEF.inbox";
        var other = $"_GR_.{GatewayReplies.Tag("south")}.ABCDEF.inbox";
        await socket.SendAsync(LinkSockets.Messages("$G", "payroll.secret.own", own, "replies to east"));
        Assert.Equal("payroll.secret.own", (await secrets.Msgs.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Subject);
        await socket.SendAsync(LinkSockets.Messages("$G", "payroll.secret.other", other, "replies to south"));
        var (closed, _) = await LinkSockets.ReadUntilClosedAsync(socket);

        Assert.True(closed, "a region speaking for another was kept");
        await AssertOnlyEastsMessageArrivesAsync(east, secrets);
    }

    [Fact]
    public async Task With_a_user_per_region_a_region_can_connect_only_as_the_region_it_authenticated_as()
    {
        var perRegion = new LinkAuthorization { Users = [new LinkCredentials("east", "east-secret"), new LinkCredentials("west", "west-secret")] };
        await using var super = await TestSupercluster.StartAsync(1, o => o, (_, gateway) => gateway with { Authorization = perRegion, RejectUnknown = false, Tls = null }, "east", "west");
        var (east, west) = (super["east"][0], super["west"][0]);
        await using var onWest = await NatsClients.ConnectAsync(west.Url);
        await using var secrets = await onWest.SubscribeCoreAsync<string>("payroll.secret.>");
        // Each region dials with its own entry: the links work.
        await WaitRegionInterestAsync(east, "payroll.secret.>");

        // Unknown regions are let in here (no reject_unknown_cluster): east's credentials still speak for east only.
        foreach (var claimed in new[] { "south", "west" })
        {
            using var socket = await LinkSockets.ConnectAsync(GatewayPort(west));
            await socket.SendAsync(Connect(claimed, new LinkCredentials("east", "east-secret")));
            await socket.SendAsync(LinkSockets.Messages("$G", "payroll.secret.injected", "", "from a raw socket"));
            var (closed, received) = await LinkSockets.ReadUntilClosedAsync(socket);

            Assert.True(closed, $"east's credentials were let speak as {claimed}");
            Assert.Empty(received);
        }
        await AssertOnlyEastsMessageArrivesAsync(east, secrets);
    }

    [Fact]
    public async Task A_silent_socket_on_the_gateway_port_is_closed_within_the_authorization_timeout()
    {
        await using var super = await TestSupercluster.StartAsync(1, o => o,
            (_, gateway) => gateway with { Authorization = Authorization with { Timeout = TimeSpan.FromSeconds(1) } }, "east", "west");
        using var socket = await LinkSockets.ConnectAsync(GatewayPort(super["west"][0]));
        var started = DateTime.UtcNow;

        var (closed, received) = await LinkSockets.ReadUntilClosedAsync(socket);

        Assert.True(closed);
        Assert.Empty(received);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(8));
    }

    private static async Task AssertOnlyEastsMessageArrivesAsync(TestCluster.Node east, INatsSub<string> secrets)
    {
        await using var onEast = await NatsClients.ConnectAsync(east.Url);
        await onEast.PublishAsync("payroll.secret.ok", "from east");
        var msg = await secrets.Msgs.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("payroll.secret.ok", msg.Subject);
    }
}
