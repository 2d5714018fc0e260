using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Broker.Accounts;
using Broker.Cluster;
using Broker.Configuration;
using Broker.Gateways;
using Broker.Links;

namespace Broker.Bench.Allocations;

/// <summary>
/// Bytes allocated per message when another region sends responses back through this node's
/// gateway for a requester on another node of this region (<c>_GR_.REGION.NODE.reply</c>):
/// gateway batches of <see cref="PerBatch"/> responses through <see cref="GatewayInboundDelivery"/>,
/// which appends each to the batch for that node's data connection. The connection is never
/// started: after each gateway batch its queued frames are taken off as its writer would once
/// written (<see cref="FramedConnection.DiscardQueued"/>), their pooled buffers back in the pool.
/// What is left is meant to be nothing but the batch's own costs spread over its messages
/// (<see cref="Allowance"/>; an actor message or a copy per response comes to 24 bytes or more each).
/// </summary>
internal static class GatewayResponseAllocations
{
    private const int PerBatch = 1000;

    /// <summary>
    /// Per batch, not per message: the account's name read from the gateway batch, the
    /// connection queue's segments as it grows; about 70 bytes measured before link batches were
    /// pooled, 200 allowed, over <see cref="PerBatch"/> messages.
    /// </summary>
    private const double Allowance = 200.0 / PerBatch;

    public static PublishAllocations.Row Measure(int messages)
    {
        var accounts = new AccountDirectory(new BrokerOptions(), literalShards: 2);
        var local = new LocalInterest("node-a");
        var gateway = new GatewayNode(new GatewayOptions { Name = "R1", Listen = new ClusterEndpoint("127.0.0.1", 0) }, local, accounts);
        var peer = new NodeOutbound("node-b", ActorRefs.Nobody);
        var toPeer = new FramedConnection(new Socket(SocketType.Stream, ProtocolType.Tcp), peer, outbound: true);
        peer.Use(toPeer);
        var route = new ClusterRoute(1, "node-b", "127.0.0.1", 0, "", isConfigured: false, DateTime.UtcNow);
        local.Connect("node-b", new NodeResponses(peer, route), toPeer);
        var fromRegion = new FramedConnection(new Socket(SocketType.Stream, ProtocolType.Tcp), peer, outbound: false);
        var delivery = new GatewayInboundDelivery(gateway, accounts);
        var body = Batch(accounts.Global.Name, $"{Encoding.ASCII.GetString(GatewayReplies.Prefix)}{GatewayReplies.Tag("R1")}.{GatewayReplies.Tag("node-b")}.reply.1");
        var replyPrefix = GatewayReplies.PrefixFor("R2", "node-c");

        long sent = 0;
        void Deliver()
        {
            if (!delivery.Deliver(body, fromRegion, replyPrefix)) throw new InvalidOperationException("the gateway batch was refused");
            sent += toPeer.DiscardQueued();
        }

        // Warm up: the link made, its batch grown, code jitted and tiered.
        for (var i = 0; i < 10_000 / PerBatch; i++) Deliver();
        var batches = Math.Max(1, messages / PerBatch);
        var sentBefore = route.OutMsgs;
        sent = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < batches; i++) Deliver();
        var after = GC.GetAllocatedBytesForCurrentThread();
        var forwarded = route.OutMsgs - sentBefore;
        if (sent == 0) throw new InvalidOperationException("gateway responses: no frame reached the node's connection");
        var count = batches * PerBatch;
        if (forwarded != count) throw new InvalidOperationException($"gateway responses: {forwarded} of {count} forwarded to the node");
        toPeer.Close("measured");
        fromRegion.Close("measured");
        return new PublishAllocations.Row("gateway response for another node (beyond frames)", count, forwarded, (after - before) / (double)count, Allowance);
    }

    /// <summary>A gateway batch body: the account, then <see cref="PerBatch"/> responses to <paramref name="subject"/>.</summary>
    private static byte[] Batch(string account, string subject)
    {
        var prefix = AccountPrefix.For(account);
        var subjectBytes = Encoding.ASCII.GetBytes(subject);
        var payload = new byte[16];
        var size = MessageFrames.SizeOf(subjectBytes.Length, 0, 0, payload.Length);
        var body = new byte[prefix.Length + PerBatch * size];
        prefix.CopyTo(body, 0);
        for (var i = 0; i < PerBatch; i++) MessageFrames.Write(body.AsSpan(prefix.Length + i * size), subjectBytes, default, default, payload, -1);
        return body;
    }
}
