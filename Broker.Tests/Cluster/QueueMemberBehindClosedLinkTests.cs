using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Broker.Cluster;
using Broker.Gateways;
using Broker.Links;
using Broker.Subjects;

namespace Broker.Tests.Cluster;

/// <summary>
/// A queue member on another node stands for that node's data connection. While the connection
/// is missing or closed, a batch for it would be lost (as on a broken nats route), so the group's
/// next member must take the message: in a rolling restart, queue messages bound for a node whose
/// connection had just closed were lost although another member was there.
/// </summary>
public class QueueMemberBehindClosedLinkTests
{
    private sealed class Recorder : Subscriber
    {
        public int Received;

        public override void Deliver(Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context) =>
            Received++;

        public override void Flush() { }

        public override void OnAutoUnsubscribed(Subscription subscription) { }
    }

    private sealed class Owner : IFramedConnectionOwner
    {
        public void OnFrame(FramedConnection connection, byte type, ReadOnlySpan<byte> body) { }

        public void OnClosed(FramedConnection connection, string why) { }
    }

    private static readonly byte[] Subject = Encoding.ASCII.GetBytes("work");
    private static readonly byte[] Queue = Encoding.ASCII.GetBytes("workers");

    /// <summary>Delivers 100 messages to the group [first, second] (both on other nodes); returns how many reached <paramref name="second"/>.</summary>
    private static int DeliverToGroup(Subscriber first, Recorder second)
    {
        var group = new[]
        {
            new Subscription(first, Subject, Queue, "1"u8.ToArray()),
            new Subscription(second, Subject, Queue, "2"u8.ToArray()),
        };
        var match = new MatchResult([], [group], localMembers: [0], regionMembers: [2]);
        var context = new DeliveryContext(second);
        for (var i = 0; i < 100; i++)
        {
            context.NextMessage();
            Assert.True(context.DeliverToOne(match, 0, SubscriberReach.Cluster, Subject, default, "x"u8, 0));
        }
        return second.Received;
    }

    [Fact]
    public void A_member_behind_a_node_with_no_data_connection_is_passed_over()
    {
        var link = new NodeLink("A", new NodeOutbound("node-b", ActorRefs.Nobody));
        Assert.False(link.TakesMessages);
        Assert.Equal(100, DeliverToGroup(link, new Recorder()));
    }

    [Fact]
    public async Task A_member_behind_a_closed_connection_is_passed_over_and_one_behind_an_open_one_is_not()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using var peer = await listener.AcceptSocketAsync();
        var connection = new FramedConnection(socket, new Owner(), outbound: true);
        var link = new GatewayLink("A", connection, Encoding.ASCII.GetBytes("_GR_.b."));

        Assert.True(link.TakesMessages);
        Assert.True(DeliverToGroup(link, new Recorder()) < 100, "an open link's member takes its share");

        connection.Close("test: the peer went away");
        Assert.False(link.TakesMessages);
        Assert.Equal(100, DeliverToGroup(link, new Recorder()));
    }
}
