using System.Text;
using Broker.Subjects;

namespace Broker.InProcess;

/// <summary>
/// One in-process subscription's receiving end: it is the owner of exactly one
/// <see cref="Subjects.Subscription"/>, so the publisher's delivery reaches it with no lookup. It
/// copies the message out of the publisher's buffer into a <see cref="BrokerMessage"/> and hands
/// it to its target (a stream buffer, an actor, a callback) without running the target's code on
/// the publisher's thread.
/// </summary>
public abstract class InProcessSubscriber : Subscriber
{
    private bool _literal;
    private LastSubject? _lastSubject;
    private readonly PayloadBlocks _copies = new();

    internal InProcessConnection? Connection { get; private set; }
    internal Subscription? Subscription { get; private set; }
    internal long Sid { get; private set; }

    /// <summary>The subscribed subject (may hold wildcards).</summary>
    public string SubjectPattern => Subscription?.SubjectText ?? "";

    /// <summary>Bytes delivered and not yet taken by the target (only stream subscriptions hold any).</summary>
    internal virtual long PendingBytes => 0;

    internal void Attach(InProcessConnection connection, Subscription subscription, long sid)
    {
        Connection = connection;
        Subscription = subscription;
        Sid = sid;
        _literal = IsLiteral(subscription.Subject);
    }

    public sealed override void Deliver(
        Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize,
        DeliveryContext context)
    {
        var connection = Connection!;
        if (connection.DeliveryDenied(subscription, subject, reply)) return;
        var message = new BrokerMessage(SubjectText(subscription, subject), reply.IsEmpty ? null : Encoding.ASCII.GetString(reply), _copies.Copy(headersAndPayload), headerSize);
        connection.CountOut(headersAndPayload.Length);
        Accept(message, context);
    }

    /// <summary>Takes one delivered message; called on the publisher's thread, so it must not block or run user code.</summary>
    protected abstract void Accept(BrokerMessage message, DeliveryContext context);

    /// <summary>The subscription ended: unsubscribed, its max reached, or the connection closed. Called once or more; must be idempotent.</summary>
    internal abstract void Ended();

    public override void Flush()
    {
    }

    public sealed override void OnAutoUnsubscribed(Subscription subscription) => Connection?.RemoveSubscription(this);

    /// <summary>A literal subscription's subject is its own string; a wildcard one reuses the last subject while it repeats.</summary>
    private string SubjectText(Subscription subscription, ReadOnlySpan<byte> subject)
    {
        if (_literal) return subscription.SubjectText;
        // One field holding both: publishers on other threads may replace it at any time.
        var last = Volatile.Read(ref _lastSubject);
        if (last is not null && subject.SequenceEqual(last.Bytes)) return last.Text;
        var text = Encoding.ASCII.GetString(subject);
        Volatile.Write(ref _lastSubject, new LastSubject(subject.ToArray(), text));
        return text;
    }

    private static bool IsLiteral(ReadOnlySpan<byte> subject)
    {
        foreach (var token in subject.Split((byte)'.'))
        {
            if (subject[token] is [(byte)'*'] or [(byte)'>']) return false;
        }
        return true;
    }

    private sealed record LastSubject(byte[] Bytes, string Text);
}
