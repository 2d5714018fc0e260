using Akka.Actor;
using Broker.Subjects;

namespace Broker.Cluster;

/// <summary>
/// One remote node's interest in one local account, as a subscriber in that account's index: the
/// publish path finds it in match results like any client and hands it the message on the
/// publisher's thread. It appends the message to a batch, and the publisher's end-of-batch flush
/// sends the batch to the node in one remote message, so a burst crosses as a few large frames.
/// Appends and sends happen under one lock, so batches leave in the order messages arrived and
/// each publisher's messages stay in publish order.
/// </summary>
/// <remarks>
/// Monitoring: each batch is counted on the peer's <see cref="ClusterRoute"/> when it leaves, and
/// is sent as <paramref name="from"/> (this node's cluster actor) so the peer knows whose route it came on.
/// </remarks>
internal sealed class NodeLink(string account, IActorRef node, ClusterRoute? route = null, IActorRef? from = null) : Subscriber
{
    /// <summary>A batch this large is sent at once rather than at the publisher's flush, bounding memory per link.</summary>
    private const int SendAt = 256 * 1024;

    private readonly object _gate = new();
    private byte[] _buffer = new byte[4096];
    private int _length;
    // The last frame written, so the same message's next target joins it (see Deliver).
    private MessageFrames.Targets _lastTargets;
    private int _lastEnd = -1;
    private long _lastContext;
    private long _lastMessage;
    private int _batchMessages;
    private long _batchBytes;
    private volatile bool _closed;

    public string Account { get; } = account;

    public override string ToString() => $"NodeLink({Account} -> {node.Path})";

    public override SubscriberReach Reach => SubscriberReach.Cluster;

    public override void Deliver(
        Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
    {
        // One hop, as nats routes: a message that came from another node goes to local subscribers only.
        if (context.FromOtherNode || _closed) return;
        var queue = subscription.Queue ?? [];
        lock (_gate)
        {
            // The same message through another of this node's interests: one more target on its frame.
            if (_lastEnd == _length && _length > 0 && _lastContext == context.Id && _lastMessage == context.CurrentMessage)
            {
                Reserve(MessageFrames.SizeOfTarget(queue.Length));
                if (MessageFrames.AddTarget(_buffer, _lastTargets, _length, queue, out var appended))
                {
                    _length += appended;
                    _lastEnd = _length;
                    return;
                }
            }
            if (_length == 0) context.Touched(this);
            var size = MessageFrames.SizeOf(subject.Length, reply.Length, queue.Length, headersAndPayload.Length);
            Reserve(size);
            var start = _length;
            var targets = MessageFrames.Write(_buffer.AsSpan(start), subject, reply, queue, headersAndPayload, headerSize);
            _length += size;
            _lastTargets = new MessageFrames.Targets(start + targets.PlainAt, start + targets.QueueCountAt);
            _lastEnd = _length;
            _lastContext = context.Id;
            _lastMessage = context.CurrentMessage;
            _batchMessages++;
            _batchBytes += headersAndPayload.Length;
            if (_length >= SendAt) SendLocked();
        }
    }

    private void Reserve(int size)
    {
        if (_length + size > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + size));
    }

    public override void Flush()
    {
        lock (_gate)
        {
            if (_length > 0) SendLocked();
        }
    }

    /// <summary>Node links have no UNSUB max: the remote subscribers count their own deliveries.</summary>
    public override void OnAutoUnsubscribed(Subscription subscription)
    {
    }

    /// <summary>The node left: nothing more is sent.</summary>
    public void Close() => _closed = true;

    private void SendLocked()
    {
        // Inside the lock: two flushers must not overtake each other's batches.
        node.Tell(new MessageBatch(Account, _buffer.AsSpan(0, _length).ToArray()), from ?? ActorRefs.NoSender);
        route?.Sent(_batchMessages, _batchBytes);
        _length = 0;
        _lastEnd = -1;
        _batchMessages = 0;
        _batchBytes = 0;
        // A burst grew the buffer; let a quiet link shrink back.
        if (_buffer.Length > SendAt) _buffer = new byte[4096];
    }
}
