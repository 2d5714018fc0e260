using System.Buffers;
using System.Text;
using Broker.Subjects;

namespace Broker.InProcess;

public sealed partial class InProcessConnection
{
    /// <summary>Subjects up to this length are encoded on the stack.</summary>
    private const int StackSubjectLimit = 256;

    private readonly Lock _publishGate = new();
    private readonly DeliveryContext _delivery;
    private readonly PublisherSide _publisher = new();

    /// <summary>
    /// Publishes one message. Nothing is written as wire protocol: the payload goes straight to the
    /// matching subscribers (network clients' buffers, in-process targets). Completes at once unless
    /// a back-pressured subscriber is crowded; then it completes when that subscriber has room, as a
    /// network publisher's read loop pauses.
    /// </summary>
    /// <exception cref="PermissionViolationException">The user may not publish to the subject.</exception>
    /// <exception cref="InvalidOperationForBrokerException">Bad subject, or payload over max_payload.</exception>
    public ValueTask PublishAsync(string subject, ReadOnlyMemory<byte> payload, string? replyTo = null, MessageHeaders? headers = null)
    {
        Publish(subject, payload.Span, replyTo, headers, out var crowded);
        return crowded ? new ValueTask(WaitForRoomAsync()) : ValueTask.CompletedTask;
    }

    public ValueTask PublishAsync(OutgoingMessage message) => PublishAsync(message.Subject, message.Payload, message.ReplyTo, message.Headers);

    /// <summary>
    /// Publishes several messages as one batch, as a network client's read loop does with what one
    /// read brought: subscribers are flushed once at the end (one socket write per network
    /// subscriber, not one per message). Stops at the first refused message (its exception).
    /// </summary>
    public ValueTask PublishBatchAsync(IReadOnlyList<OutgoingMessage> messages)
    {
        bool crowded;
        lock (_publishGate)
        {
            _batching = true;
            try
            {
                foreach (var message in messages) Publish(message.Subject, message.Payload.Span, message.ReplyTo, message.Headers, out _);
            }
            finally
            {
                _batching = false;
                _delivery.FlushTouched();
                crowded = _delivery.HasCrowded;
            }
        }
        return crowded ? new ValueTask(WaitForRoomAsync()) : ValueTask.CompletedTask;
    }

    /// <summary>True inside <see cref="PublishBatchAsync"/> (read and written under the publish lock): flush at its end only.</summary>
    private bool _batching;

    /// <summary>Publishes without waiting for crowded subscribers (they stay bounded by their own buffers).</summary>
    public void Publish(string subject, ReadOnlySpan<byte> payload, string? replyTo = null, MessageHeaders? headers = null) =>
        Publish(subject, payload, replyTo, headers, out _);

    internal int Publish(string subject, ReadOnlySpan<byte> payload, string? replyTo, MessageHeaders? headers, out bool crowded)
    {
        ThrowIfClosed();
        if (replyTo is null && headers is null && subject.Length <= CachedSubjectLimit)
        {
            if (payload.Length > MaxPayload) throw new InvalidOperationForBrokerException(Protocol.ProtocolErrors.MaxPayloadViolation);
            lock (_publishGate) return PublishLocked(SubjectBytes(subject), default, payload, -1, out crowded);
        }
        byte[]? rentedSubject = null;
        var subjectBytes = subject.Length <= StackSubjectLimit
            ? stackalloc byte[subject.Length]
            : (rentedSubject = ArrayPool<byte>.Shared.Rent(subject.Length)).AsSpan(0, subject.Length);
        byte[]? rentedReply = null;
        var replyBytes = replyTo is null ? default
            : replyTo.Length <= StackSubjectLimit ? stackalloc byte[replyTo.Length]
            : (rentedReply = ArrayPool<byte>.Shared.Rent(replyTo.Length)).AsSpan(0, replyTo.Length);
        byte[]? combined = null;
        try
        {
            if (Encoding.ASCII.GetBytes(subject, subjectBytes) != subject.Length || (replyTo is not null && Encoding.ASCII.GetBytes(replyTo, replyBytes) != replyTo.Length))
                throw new InvalidOperationForBrokerException(Protocol.ProtocolErrors.InvalidPublishSubject);
            var headerSize = -1;
            var data = payload;
            if (headers is not null)
            {
                // The one copy a message with headers takes: the block and the payload side by side, as subscribers get them.
                var block = headers.ToBytes();
                headerSize = block.Length;
                combined = ArrayPool<byte>.Shared.Rent(block.Length + payload.Length);
                block.CopyTo(combined, 0);
                payload.CopyTo(combined.AsSpan(block.Length));
                data = combined.AsSpan(0, block.Length + payload.Length);
            }
            return PublishBytes(subjectBytes, replyBytes, data, headerSize, out crowded);
        }
        finally
        {
            if (rentedSubject is not null) ArrayPool<byte>.Shared.Return(rentedSubject);
            if (rentedReply is not null) ArrayPool<byte>.Shared.Return(rentedReply);
            if (combined is not null) ArrayPool<byte>.Shared.Return(combined);
        }
    }

    /// <summary>The checks a network client's PUB gets (subject, size, permissions), then delivery under the publish lock.</summary>
    private int PublishBytes(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> data, int headerSize, out bool crowded)
    {
        if (!SubjectValidator.IsValidPublishSubject(subject) || (!reply.IsEmpty && !SubjectValidator.IsValidPublishSubject(reply)))
            throw new InvalidOperationForBrokerException(Protocol.ProtocolErrors.InvalidPublishSubject);
        if (data.Length > MaxPayload) throw new InvalidOperationForBrokerException(Protocol.ProtocolErrors.MaxPayloadViolation);
        lock (_publishGate) return PublishLocked(subject, reply, data, headerSize, out crowded);
    }

    /// <summary>Permissions, counts and delivery of a message whose subjects are valid; called under the publish lock.</summary>
    private int PublishLocked(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> data, int headerSize, out bool crowded)
    {
        CheckPublish(subject, reply);
        // Written under the lock only; readers use Interlocked.Read, so no atomic add is needed here.
        _inMessages++;
        _inBytes += data.Length;
        Volatile.Write(ref _lastActivityTicks, Environment.TickCount64);
        // The account's one publish path, as every other source of messages takes.
        var delivered = Account.Publish(subject, reply, data, headerSize, _delivery) ? 1 : 0;
        crowded = _delivery.HasCrowded;
        if (crowded) _delivery.FlushTouched();
        else if (!_batching) FlushSoon();
        return delivered;
    }

    /// <summary>Subjects up to this length are kept encoded between publishes (the common case: one subject, published again and again).</summary>
    private const int CachedSubjectLimit = 128;

    /// <summary>The last subject published without reply or headers, and its validated ASCII bytes (under the publish lock).</summary>
    private string? _cachedSubject;
    private readonly byte[] _cachedSubjectBytes = new byte[CachedSubjectLimit];

    /// <summary>
    /// The subject's bytes, validated: reused while the publisher passes the same string again (a
    /// string is immutable, so the same reference is the same subject); else encoded into the
    /// connection's one buffer. Called under the publish lock.
    /// </summary>
    private ReadOnlySpan<byte> SubjectBytes(string subject)
    {
        var bytes = _cachedSubjectBytes.AsSpan(0, subject.Length);
        if (ReferenceEquals(subject, _cachedSubject)) return bytes;
        _cachedSubject = null;
        if (Encoding.ASCII.GetBytes(subject, bytes) != subject.Length || !SubjectValidator.IsValidPublishSubject(bytes))
            throw new InvalidOperationForBrokerException(Protocol.ProtocolErrors.InvalidPublishSubject);
        _cachedSubject = subject;
        return bytes;
    }

    /// <summary>True while a flush of network subscribers' output is queued (under the publish lock).</summary>
    private bool _flushQueued;

    /// <summary>
    /// Network subscribers' output is flushed by one queued work item, not by every publish: the
    /// messages published until it runs go out in one socket write per subscriber (as a network
    /// publisher's read batch does), and the publisher never waits on a socket. Called under the lock.
    /// </summary>
    private void FlushSoon()
    {
        if (_flushQueued || !_delivery.HasTouched) return;
        _flushQueued = true;
        ThreadPool.UnsafeQueueUserWorkItem(_flushWork ??= new FlushWork(this), preferLocal: false);
    }

    /// <summary>The queued flush, one object per connection: queuing it allocates nothing.</summary>
    private FlushWork? _flushWork;

    private sealed class FlushWork(InProcessConnection connection) : IThreadPoolWorkItem
    {
        public void Execute()
        {
            lock (connection._publishGate)
            {
                connection._flushQueued = false;
                connection._delivery.FlushTouched();
            }
        }
    }

    /// <summary>Waits for the subscribers the last publishes found crowded, as a network client's read loop does.</summary>
    private async Task WaitForRoomAsync()
    {
        Task wait;
        lock (_publishGate) wait = _delivery.WaitForRoomAsync();
        await wait.ConfigureAwait(false);
    }

    private void CheckPublish(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply)
    {
        // Under the publish lock: the permissions' publish cache has one writer at a time.
        var permissions = Permissions;
        if (permissions is not null && !permissions.CanPublish(subject) && !TryUseResponseGrant(subject))
        {
            var text = Encoding.ASCII.GetString(subject);
            _server.Log.Error($"{Description} - Publish Violation - User \"{User}\", Subject \"{text}\"");
            throw new PermissionViolationException($"Permissions Violation for Publish to \"{text}\"");
        }
        if (!reply.IsEmpty && reply.StartsWith("_R_."u8))
        {
            var text = Encoding.ASCII.GetString(reply);
            _server.Log.Error($"{Description} - Publish Violation - User \"{User}\", Reply \"{text}\"");
            throw new PermissionViolationException($"Permissions Violation for Publish with Reply of \"{text}\"");
        }
    }

    /// <summary>Stands for this connection as the publisher of its deliveries; it never receives anything itself.</summary>
    private sealed class PublisherSide : Subscriber
    {
        public override void Deliver(Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
        {
        }

        public override void Flush()
        {
        }

        public override void OnAutoUnsubscribed(Subscription subscription)
        {
        }
    }
}
