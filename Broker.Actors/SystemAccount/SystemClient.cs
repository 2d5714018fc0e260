using System.Text;
using Akka.Actor;
using Broker.Subjects;

namespace Broker.SystemAccount;

/// <summary>
/// The system account's internal client, as nats-server has one: it owns the subscriptions on the
/// request subjects and publishes the server's messages (as the publisher of a delivery context,
/// with echo off, so the server never hears itself). A request is copied and handed to the system
/// events actor; the requester's read loop does nothing more for it.
/// </summary>
internal sealed class SystemClient(IActorRef events) : Subscriber
{
    public override void Deliver(
        Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize,
        DeliveryContext context)
    {
        // Headers (nats-server reads Accept-Encoding there) are not used: the body is the options JSON.
        var body = headerSize >= 0 ? headersAndPayload[headerSize..] : headersAndPayload;
        events.Tell(new SystemRequest(Encoding.ASCII.GetString(subject), Encoding.ASCII.GetString(reply), body.ToArray()));
    }

    public override void Flush()
    {
        // Nothing is queued: Deliver hands each request over at once.
    }

    public override void OnAutoUnsubscribed(Subscription subscription)
    {
        // Its subscriptions have no delivery limit.
    }
}
