using Akka.Actor;
using Broker.Subjects;

namespace Broker.InProcess;

/// <summary>
/// Delivers a subscription's messages to an actor as <see cref="BrokerMessage"/>s, by Tell. The
/// bound is on the actor's mailbox: while it holds <c>bound</c> messages or more, new messages for
/// this subscription are dropped and counted (<see cref="InProcessSubscription.Dropped"/>), and a
/// "Slow Consumer" notice is logged once per spell, as nats-server drops for a slow subscriber. An
/// actor that is not local (no mailbox to look at) is told everything. When the subscription ends
/// the actor gets <see cref="SubscriptionEnded"/>.
/// </summary>
internal sealed class ActorSubscriber(IActorRef target, int bound) : InProcessSubscriber
{
    private long _dropped;
    private int _ended;
    private int _overBound;

    public long Dropped => Interlocked.Read(ref _dropped);

    protected override void Accept(BrokerMessage message, DeliveryContext context)
    {
        if (bound > 0 && target is ActorRefWithCell { Underlying: { } cell } && cell.NumberOfMessages >= bound)
        {
            Interlocked.Increment(ref _dropped);
            if (Interlocked.Exchange(ref _overBound, 1) == 0)
                Connection!.Log.Notice($"{Connection.Description} - Slow Consumer Detected: actor {target.Path} has {bound} messages in its mailbox; dropping messages on \"{SubjectPattern}\"");
            return;
        }
        Volatile.Write(ref _overBound, 0);
        target.Tell(message, ActorRefs.NoSender);
    }

    internal override void Ended()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0) target.Tell(new SubscriptionEnded(SubjectPattern), ActorRefs.NoSender);
    }
}

/// <summary>Told to a subscribed actor when its subscription ends (unsubscribed, max messages reached, connection closed).</summary>
public sealed record SubscriptionEnded(string Subject);
