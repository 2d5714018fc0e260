using System.Text;
using Broker.Subjects;

namespace Broker.Clients;

/// <summary>
/// One subscription as monitoring shows it, copied out: a closed connection's entry in
/// <see cref="ClosedConnections"/> must hold no live object (a subscription leads to its
/// connection and that connection's buffers).
/// </summary>
public sealed record SubscriptionSnapshot(string Subject, string? Queue, string Sid, long Msgs)
{
    public static SubscriptionSnapshot Of(Subscription subscription) =>
        new(subscription.SubjectText, subscription.QueueText, Encoding.ASCII.GetString(subscription.Sid), subscription.Delivered);
}
