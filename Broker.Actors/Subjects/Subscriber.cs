namespace Broker.Subjects;

/// <summary>
/// Whatever holds subscriptions and receives their messages: a client connection today, node
/// links and in-process streams later. Delivery is a direct call on the publisher's thread.
/// </summary>
public abstract class Subscriber
{
    /// <summary>
    /// Queues one message for this subscriber without blocking. Returns true when the subscriber
    /// needs <see cref="Flush"/> at the end of the publisher's batch (first message since the last flush).
    /// </summary>
    public abstract bool Deliver(
        Subscription subscription,
        ReadOnlySpan<byte> subject,
        ReadOnlySpan<byte> reply,
        ReadOnlySpan<byte> headersAndPayload,
        int headerSize);

    /// <summary>Pushes what <see cref="Deliver"/> queued towards the wire.</summary>
    public abstract void Flush();

    /// <summary>Called when a subscription reached its UNSUB max and must leave the index.</summary>
    public abstract void OnAutoUnsubscribed(Subscription subscription);
}
