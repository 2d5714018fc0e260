using Broker.Gateways;
using Broker.Subjects;

namespace Broker.Cluster;

/// <summary>
/// One remote node's interest in one local account, as a subscriber in that account's index: the
/// publish path finds it in match results like any client and hands it the message on the
/// publisher's thread. It appends the message to a batch, and the publisher's end-of-batch flush
/// queues the batch on the node's data connection as one frame, built in place (frame header,
/// account name, messages), so a burst crosses as a few large writes with one copy.
/// Appends and sends happen under one lock, so batches leave in the order messages arrived and
/// each publisher's messages stay in publish order.
/// </summary>
/// <remarks>
/// Monitoring: each batch is counted on the peer's <see cref="ClusterRoute"/> when it leaves.
/// </remarks>
internal sealed class NodeLink(string account, NodeOutbound node, ClusterRoute? route = null) : Subscriber
{
    /// <summary>A batch this large is sent at once rather than at the publisher's flush, bounding memory per link.</summary>
    private const int SendAt = 64 * 1024;

    private readonly object _gate = new();
    // Built as the frame it leaves in: header space, the account's name, the messages.
    private readonly FrameBatch _batch = new([.. new byte[GatewayFrames.HeaderSize], .. AccountPrefix.For(account)]);
    private volatile bool _closed;

    public string Account { get; } = account;

    public override string ToString() => $"NodeLink({Account} -> {node.Node})";

    public override SubscriberReach Reach => SubscriberReach.Cluster;

    public override void Deliver(
        Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
    {
        // One hop, as nats routes: a message that came from another node goes to local subscribers only.
        if (context.FromOtherNode || _closed) return;
        lock (_gate)
        {
            if (_batch.Append(subscription.Queue, subject, default, reply, headersAndPayload, headerSize, context)) context.Touched(this);
            if (_batch.Length >= SendAt) SendLocked();
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            if (!_batch.IsEmpty) SendLocked();
        }
    }

    /// <summary>Node links have no UNSUB max: the remote subscribers count their own deliveries.</summary>
    public override void OnAutoUnsubscribed(Subscription subscription)
    {
    }

    /// <summary>The node left: nothing more is sent.</summary>
    public void Close() => _closed = true;

    private void SendLocked()
    {
        // Inside the lock: two flushers must not overtake each other's batches. A batch while the
        // connection is being replaced is lost, as on a broken nats route.
        var bytes = _batch.Bytes;
        GatewayFrames.WriteHeader(bytes, NodeFrames.Messages, bytes.Length - GatewayFrames.HeaderSize);
        node.Connection?.Send(bytes.ToArray());
        route?.Sent(_batch.Messages, _batch.PayloadBytes);
        _batch.Clear(keepUpTo: 4 * SendAt);
    }
}
