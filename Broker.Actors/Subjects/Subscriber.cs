namespace Broker.Subjects;

/// <summary>
/// Whatever holds subscriptions and receives their messages: a client connection, an account's
/// import forwarder, node links later. Delivery is a direct call on the publisher's thread.
/// </summary>
public abstract class Subscriber
{
    /// <summary>How far away the interest this subscriber stands for is; queue groups prefer the nearest members.</summary>
    public virtual SubscriberReach Reach => SubscriberReach.Local;

    /// <summary>True for subscribers that stand for another node's or region's interest.</summary>
    public bool IsRemote => Reach is not (SubscriberReach.Local or SubscriberReach.Leaf);

    /// <summary>
    /// Whether this subscriber's interest is told to the other nodes of the cluster: a node's own
    /// and its leaves', not a leaf's link to its hub (each node of a leaf cluster has its own link).
    /// </summary>
    public virtual bool SharedWithCluster => !IsRemote;

    /// <summary>
    /// False once this subscriber is closing: a queue group then picks another member rather than
    /// hand a message to a connection that will not send it (its subscriptions may still be in the
    /// index, or in a cached match, for a moment after it began to close).
    /// </summary>
    public virtual bool TakesMessages => true;

    /// <summary>
    /// Queues one message for this subscriber without blocking. A subscriber that needs
    /// <see cref="Flush"/> at the end of the publisher's batch registers with
    /// <see cref="DeliveryContext.Touched"/> (once per batch).
    /// </summary>
    public abstract void Deliver(
        Subscription subscription,
        ReadOnlySpan<byte> subject,
        ReadOnlySpan<byte> reply,
        ReadOnlySpan<byte> headersAndPayload,
        int headerSize,
        DeliveryContext context);

    /// <summary>
    /// Completes once a subscriber that reported itself crowded (<see cref="DeliveryContext.Crowded"/>)
    /// has room again, or has stopped making progress and is not worth waiting for.
    /// </summary>
    public virtual Task WaitForRoomAsync() => Task.CompletedTask;

    /// <summary>Pushes what <see cref="Deliver"/> queued towards the wire.</summary>
    public abstract void Flush();

    /// <summary>Called when a subscription reached its UNSUB max and must leave the index.</summary>
    public abstract void OnAutoUnsubscribed(Subscription subscription);
}
