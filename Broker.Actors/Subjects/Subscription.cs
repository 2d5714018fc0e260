using System.Text;

namespace Broker.Subjects;

/// <summary>One SUB: its subject (maybe with wildcards), optional queue group, and delivery limit.</summary>
public sealed class Subscription
{
    private long _delivered;
    private long _max;
    private volatile bool _closed;

    public Subscription(Subscriber owner, byte[] subject, byte[]? queue, byte[] sid)
    {
        Owner = owner;
        Subject = subject;
        Queue = queue;
        Sid = sid;
        SubjectText = Encoding.ASCII.GetString(subject);
        QueueText = queue is null ? null : Encoding.ASCII.GetString(queue);
    }

    public Subscriber Owner { get; }
    public byte[] Subject { get; }
    public string SubjectText { get; }
    public byte[]? Queue { get; }
    public string? QueueText { get; }
    public byte[] Sid { get; }

    /// <summary>Set once the subscription is unsubscribed; a closed subscription receives nothing more.</summary>
    public bool IsClosed => _closed;

    public long Delivered => Interlocked.Read(ref _delivered);

    public void Close() => _closed = true;

    /// <summary>UNSUB with max: the subscription ends after max deliveries in total.</summary>
    /// <returns>True when max deliveries were already made, so it must be removed now.</returns>
    public bool SetMax(long max)
    {
        Interlocked.Exchange(ref _max, max);
        return Interlocked.Read(ref _delivered) >= max;
    }

    /// <summary>
    /// Claims one delivery. Concurrent publishers can race here, so the count decides: the claim that
    /// reaches max is the last, and any later one is refused (exactly max in total).
    /// </summary>
    public DeliveryClaim TryClaimDelivery()
    {
        if (_closed) return DeliveryClaim.Refused;
        var max = Interlocked.Read(ref _max);
        if (max == 0)
        {
            Interlocked.Increment(ref _delivered);
            return DeliveryClaim.Granted;
        }
        var n = Interlocked.Increment(ref _delivered);
        if (n < max) return DeliveryClaim.Granted;
        if (n == max)
        {
            _closed = true;
            return DeliveryClaim.GrantedLast;
        }
        return DeliveryClaim.Refused;
    }
}

public enum DeliveryClaim : byte { Refused, Granted, GrantedLast }
