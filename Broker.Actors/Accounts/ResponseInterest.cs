using Broker.Subjects;

namespace Broker.Accounts;

/// <summary>
/// An exporting account's interest in its own response subjects (<c>_R_.TAG.&gt;</c>) in a
/// cluster, so a responder on another node sends its response to this one. Nothing is delivered
/// to it: responses are routed by whoever publishes them here, a local client or a batch from
/// another node (<see cref="Account.TryRouteResponse"/>).
/// </summary>
internal sealed class ResponseInterest : Subscriber
{
    public static readonly ResponseInterest Instance = new();

    public override void Deliver(
        Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize,
        DeliveryContext context)
    {
    }

    public override void Flush()
    {
    }

    public override void OnAutoUnsubscribed(Subscription subscription)
    {
    }
}
