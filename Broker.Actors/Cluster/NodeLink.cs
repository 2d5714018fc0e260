using Akka.Actor;
using Broker.Subjects;

namespace Broker.Cluster;

/// <summary>
/// One remote node's interest in one local account, as a subscriber in that account's index: the
/// publish path finds it in match results like any client and hands it the message on the
/// publisher's thread. It appends the message to a batch, and the publisher's end-of-batch flush
/// sends the batch to the node in one remote message, so a burst crosses as a few large frames.
/// Appends and sends happen under one lock, so batches leave in the order messages arrived and
/// each publisher's messages stay in publish order.
/// </summary>
/// <remarks>
/// Monitoring: each batch is counted on the peer's <see cref="ClusterRoute"/> when it leaves, and
/// is sent as <paramref name="from"/> (this node's cluster actor) so the peer knows whose route it came on.
/// </remarks>
internal sealed class NodeLink(string account, IActorRef node, ClusterRoute? route = null, IActorRef? from = null) : Subscriber
{
    /// <summary>A batch this large is sent at once rather than at the publisher's flush, bounding memory per link.</summary>
    private const int SendAt = 64 * 1024;

    private readonly object _gate = new();
    // Built in the batch's wire form, account name first.
    private readonly FrameBatch _batch = new(AccountPrefix.For(account));
    private volatile bool _closed;

    public string Account { get; } = account;

    public override string ToString() => $"NodeLink({Account} -> {node.Path})";

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
        // Inside the lock: two flushers must not overtake each other's batches.
        node.Tell(new MessageBatch(_batch.Bytes.ToArray()), from ?? ActorRefs.NoSender);
        route?.Sent(_batch.Messages, _batch.PayloadBytes);
        _batch.Clear(keepUpTo: 4 * SendAt);
    }
}
