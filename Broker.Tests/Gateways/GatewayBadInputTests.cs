using System.Net;
using System.Net.Sockets;
using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using static Broker.Tests.Gateways.TestSupercluster;

namespace Broker.Tests.Gateways;

/// <summary>Whatever arrives on the gateway port, a bad peer loses only its own connection.</summary>
public class GatewayBadInputTests
{
    [Theory]
    [InlineData("garbage", new byte[] { 0x47, 0x45, 0x54, 0x20, 0x2F, 0x20, 0x48, 0x54, 0x54, 0x50, 0x0D, 0x0A })]
    [InlineData("a negative length", new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    [InlineData("messages before CONNECT", new byte[] { 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00 })]
    [InlineData("an unknown frame type", new byte[] { 0x01, 0x00, 0x00, 0x00, 0x63 })]
    [InlineData("a CONNECT that does not decode", new byte[] { 0x03, 0x00, 0x00, 0x00, 0x01, 0x7F, 0x41 })]
    public async Task A_peer_sending_bad_frames_is_disconnected_and_the_links_keep_working(string what, byte[] bytes)
    {
        await using var super = await TestSupercluster.StartAsync(1, "east", "west");
        var (east, west) = (super["east"][0], super["west"][0]);
        var port = int.Parse(Gateway(west).GatewayUrl.Split(':')[^1]);

        using var bad = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await bad.ConnectAsync(IPAddress.Loopback, port);
        await bad.SendAsync(bytes, SocketFlags.None);
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        // Closed by the broker: the read ends (0 bytes) or resets, instead of waiting out the timeout.
        try
        {
            while (await bad.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }
        Assert.False(timeout.IsCancellationRequested, $"the connection that sent {what} was not closed");

        await using var onWest = await NatsClients.ConnectAsync(west.Url);
        await using var sub = await onWest.SubscribeCoreAsync<int>("still.here");
        await WaitRegionInterestAsync(east, "still.here");
        await using var onEast = await NatsClients.ConnectAsync(east.Url);
        await onEast.PublishAsync("still.here", 1);
        Assert.Equal(1, (await NatsClients.ReadAsync(sub, 1)).Single().Data);
    }
}
