namespace Broker.Subjects;

/// <summary>
/// Which subscriptions of a match one published message is for. A message that starts on this node
/// is for all of them (<see cref="EverySubscription"/>); one that arrives over a link is for the
/// ones its frame names. A struct (or ref struct) type argument, so the publish path stays free of
/// allocation and virtual calls.
/// </summary>
public interface IDeliveryTargets
{
    /// <summary>True when the message is for the match's plain subscriptions (a link may send one for queue groups only).</summary>
    bool Plain { get; }

    /// <summary>Delivers the message to its targets within <paramref name="match"/>; returns how many subscriptions took it.</summary>
    int Deliver(DeliveryContext context, MatchResult match, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize);
}

/// <summary>Every plain subscription, and one member of each queue group, wherever it is.</summary>
public readonly struct EverySubscription : IDeliveryTargets
{
    public bool Plain => true;

    public int Deliver(DeliveryContext context, MatchResult match, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize) =>
        context.DeliverAll(match, subject, reply, headersAndPayload, headerSize);
}
