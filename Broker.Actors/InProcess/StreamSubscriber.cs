using Akka.Streams;
using Broker.Subjects;

namespace Broker.InProcess;

/// <summary>
/// The buffer between publishers and one <see cref="SubscriptionSource"/>: bounded by a message
/// count; when full, the stream's overflow strategy decides. Under Backpressure nothing is dropped:
/// the buffer reports itself crowded so publishers that can pause (network clients' read loops,
/// <see cref="InProcessConnection.PublishAsync(string, ReadOnlyMemory{byte}, string?, MessageHeaders?)"/>)
/// wait while the stream still pulls, as for a slow network subscriber; only a stream that stopped
/// pulling altogether, past max_pending bytes, is failed with <see cref="SlowConsumerException"/>.
/// </summary>
internal sealed class StreamSubscriber(int capacity, BufferOverflow overflow, long maxPendingBytes, TimeSpan progressGrace) : InProcessSubscriber
{
    private readonly Lock _gate = new();
    private readonly MessageRing _ring = new(Math.Min(capacity, 1024));
    private readonly long _graceMs = (long)progressGrace.TotalMilliseconds;
    private long _bytes;
    private long _dropped;
    private bool _consumerWaiting;
    private bool _crowdReported;
    private bool _ended;
    private Exception? _failure;
    private TaskCompletionSource? _roomWaiter;
    private long _lastTakeTicks = Environment.TickCount64;
    private Action? _wake;
    private bool _wakeOnFlush;

    /// <summary>Messages the overflow strategy dropped.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal override long PendingBytes
    {
        get { lock (_gate) return _bytes; }
    }

    /// <summary>Set by the stage before the subscription exists: how a waiting stage is woken (its async callback).</summary>
    public void OnAvailable(Action wake) => _wake = wake;

    protected override void Accept(BrokerMessage message, DeliveryContext context)
    {
        var size = message.Size;
        bool wake, failed;
        var crowded = false;
        lock (_gate)
        {
            if (_ended || _failure is not null) return;
            if (_ring.Count >= capacity)
            {
                switch (overflow)
                {
                    case BufferOverflow.DropHead:
                        _bytes -= SizeOf(_ring.Dequeue());
                        _dropped++;
                        break;
                    case BufferOverflow.DropTail:
                        _bytes -= SizeOf(_ring.RemoveNewest());
                        _dropped++;
                        break;
                    case BufferOverflow.DropBuffer:
                        _dropped += _ring.Count;
                        _ring.Clear();
                        _bytes = 0;
                        break;
                    case BufferOverflow.DropNew:
                        _dropped++;
                        return;
                    case BufferOverflow.Fail:
                        _failure = new BufferOverflowException($"Buffer overflow for subscription to \"{SubjectPattern}\" (max capacity was: {capacity})!");
                        break;
                    case BufferOverflow.Backpressure:
                        if (_bytes + size > maxPendingBytes) _failure = new SlowConsumerException(SubjectPattern, _bytes);
                        else if (!_crowdReported) crowded = _crowdReported = true;
                        break;
                }
            }
            if (_failure is null)
            {
                _ring.Enqueue(message);
                _bytes += size;
            }
            failed = _failure is not null;
            wake = _consumerWaiting && !failed;
            _consumerWaiting = false;
        }
        if (crowded) context.Crowded(this);
        if (failed) _wake?.Invoke();
        else if (wake)
        {
            // Woken at the end of the publisher's batch (its flush), not per message: a waiting stage
            // costs the publisher one wake per batch however many messages the batch brings.
            Volatile.Write(ref _wakeOnFlush, true);
            context.Touched(this);
        }
    }

    /// <summary>The publisher's batch ended: wake the stage if a message of it found the stage waiting.</summary>
    public override void Flush()
    {
        if (Volatile.Read(ref _wakeOnFlush) && Interlocked.Exchange(ref _wakeOnFlush, false)) _wake?.Invoke();
    }

    /// <summary>
    /// The stage's pull: moves up to <paramref name="into"/>'s length of messages (one lock for the
    /// lot), or says why there are none (failed, ended, or empty: then the next delivery wakes it).
    /// </summary>
    public int TakeBatch(BrokerMessage?[] into, out bool ended, out Exception? failure) => Take(into, 0, out _, out ended, out failure);

    /// <summary>
    /// A batch source's pull: up to <paramref name="max"/> messages in an array of their own (the
    /// stream's from then on), or null with the reason there are none, as <see cref="TakeBatch"/>.
    /// </summary>
    public BrokerMessage[]? TakeArray(int max, out bool ended, out Exception? failure)
    {
        Take(null, max, out var taken, out ended, out failure);
        return taken;
    }

    /// <summary>Into <paramref name="into"/>, or (when null) into a new array of at most <paramref name="max"/>; one lock for the lot.</summary>
    private int Take(BrokerMessage?[]? into, int max, out BrokerMessage[]? array, out bool ended, out Exception? failure)
    {
        TaskCompletionSource? room = null;
        var taken = 0;
        array = null;
        lock (_gate)
        {
            failure = _failure;
            ended = false;
            if (failure is not null) return 0;
            if (_ring.Count > 0)
            {
                if (into is null) into = array = new BrokerMessage[Math.Min(_ring.Count, max)];
                taken = _ring.DequeueInto(into, out var bytes);
                _bytes -= bytes;
                _lastTakeTicks = Environment.TickCount64;
                if (_roomWaiter is not null && _ring.Count <= capacity / 2)
                {
                    room = _roomWaiter;
                    _roomWaiter = null;
                }
            }
            else if (_ended) ended = true;
            else _consumerWaiting = true;
        }
        room?.TrySetResult();
        return taken;
    }

    /// <summary>
    /// How many messages the stage may take at once: under Backpressure a batch (they are the
    /// stream's, as in any stage's input buffer); the dropping strategies take one at a time, so what
    /// they drop is decided on the whole buffer, exactly as the strategy says.
    /// </summary>
    public int BatchSize => overflow == BufferOverflow.Backpressure ? Math.Clamp(capacity / 4, 1, 1024) : 1;

    /// <summary>Pending failure or end, for a stage that is not being pulled.</summary>
    public (bool Ended, Exception? Failure) State()
    {
        lock (_gate) return (_ended && _ring.Count == 0, _failure);
    }

    /// <summary>A publisher's pause: until the buffer is half empty, or the stream has not pulled for the grace.</summary>
    public override async Task WaitForRoomAsync()
    {
        while (true)
        {
            TaskCompletionSource waiter;
            long waitMs;
            lock (_gate)
            {
                var idle = Environment.TickCount64 - _lastTakeTicks;
                if (_ended || _failure is not null || _ring.Count <= capacity / 2 || idle >= _graceMs)
                {
                    _crowdReported = false;
                    return;
                }
                waiter = _roomWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waitMs = _graceMs - idle;
            }
            await Task.WhenAny(waiter.Task, Task.Delay(TimeSpan.FromMilliseconds(waitMs))).ConfigureAwait(false);
        }
    }

    internal override void Ended()
    {
        TaskCompletionSource? room;
        bool wake;
        lock (_gate)
        {
            if (_ended) return;
            _ended = true;
            wake = _consumerWaiting;
            _consumerWaiting = false;
            room = _roomWaiter;
            _roomWaiter = null;
        }
        room?.TrySetResult();
        if (wake) _wake?.Invoke();
    }

    private static long SizeOf(BrokerMessage message) => message.Size;
}
