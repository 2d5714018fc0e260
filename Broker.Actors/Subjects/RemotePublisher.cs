namespace Broker.Subjects;

/// <summary>
/// The publisher of messages that arrived from another node or region: it holds no
/// subscriptions and receives nothing; it only gives their deliveries a publisher.
/// </summary>
public sealed class RemotePublisher : Subscriber
{
    public static readonly RemotePublisher Instance = new();

    private RemotePublisher()
    {
    }

    public override void Deliver(
        Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
    {
    }

    public override void Flush()
    {
    }

    public override void OnAutoUnsubscribed(Subscription subscription)
    {
    }
}
