using Broker.Subjects;

namespace Broker.Bench.Allocations;

/// <summary>A subscriber that only counts, and asks for a flush as a client connection does.</summary>
internal sealed class CountingSubscriber : Subscriber
{
    public long Received { get; private set; }

    public override void Deliver(
        Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
    {
        Received++;
        context.Touched(this);
    }

    public override void Flush()
    {
    }

    public override void OnAutoUnsubscribed(Subscription subscription)
    {
    }
}
