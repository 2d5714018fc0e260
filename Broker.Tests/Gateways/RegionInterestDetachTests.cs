using System.Net;
using System.Net.Sockets;
using Broker.Gateways;
using Broker.Links;

namespace Broker.Tests.Gateways;

/// <summary>Review hazard (issue 13): a send that closes a link detaches it from the list being walked.</summary>
public class RegionInterestDetachTests
{
    private sealed class DetachingOwner(RegionInterest interest) : IFramedConnectionOwner
    {
        public void OnFrame(FramedConnection connection, byte type, ReadOnlySpan<byte> body) { }
        public void OnClosed(FramedConnection connection, string why) => interest.Detach(connection);
    }

    [Fact]
    public async Task A_link_closed_by_a_broadcast_leaves_the_walk_intact()
    {
        var interest = new RegionInterest();
        var owner = new DetachingOwner(interest);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var links = new List<FramedConnection>();
        var peers = new List<Socket>();
        for (var i = 0; i < 3; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(IPAddress.Loopback, port);
            peers.Add(await listener.AcceptSocketAsync());
            var link = new FramedConnection(client, owner, outbound: false);
            interest.Attach(link, [0]);
            links.Add(link);
        }

        // A frame past a link's pending limit closes it inside Send, and its owner detaches it right then.
        var huge = GC.AllocateUninitializedArray<byte>(256 * 1024 * 1024 + 1);
        var broadcast = Record.Exception(() => interest.Broadcast(huge));

        Assert.Null(broadcast);
        Assert.All(links, link => Assert.True(link.IsClosed));
        Assert.Empty(interest.Inbound);
        foreach (var peer in peers) peer.Dispose();
    }
}
