using Broker.Cluster;
using Broker.Subjects;

namespace Broker.Gateways;

/// <summary>
/// One remote region's interest in one local account, as a subscriber in the account's index
/// (as <see cref="NodeLink"/> is for a node): the publisher's thread appends the message to a
/// batch, reply subject rewritten to come back here (<see cref="GatewayReplies"/>), and the
/// publisher's end-of-batch flush queues the batch on the outbound gateway connection. A message
/// that matches several of the region's interests crosses once, with all of them as targets.
/// </summary>
internal sealed class GatewayLink : Subscriber
{
    private const int SendAt = 256 * 1024;

    private readonly object _gate = new();
    private readonly GatewayConnection _connection;
    private readonly byte[] _replyPrefix;
    private readonly byte[] _account;
    private byte[] _buffer = new byte[4096];
    private int _length;
    private MessageFrames.Targets _lastTargets;
    private int _lastEnd = -1;
    private long _lastContext;
    private long _lastMessage;
    private volatile bool _closed;

    public GatewayLink(string account, GatewayConnection connection, byte[] replyPrefix)
    {
        Account = account;
        _connection = connection;
        _replyPrefix = replyPrefix;
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream)) writer.Write(account);
        _account = stream.ToArray();
        Reset();
    }

    public string Account { get; }

    public override SubscriberReach Reach => SubscriberReach.Gateway;

    public override string ToString() => $"GatewayLink({Account} -> {_connection.Remote})";

    public override void Deliver(
        Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
    {
        // One hop: what came from another region, or from a node of this one (it sends its own), goes no further.
        if (context.FromOtherNode || context.FromGateway) return;
        Append(subscription.Queue ?? [], subject, reply, headersAndPayload, headerSize, context);
    }

    /// <summary>A response to a request from the region this link goes to: no interest needed, its <c>_GR_</c> subject says where.</summary>
    public void SendReply(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context) =>
        Append([], subject, reply, headersAndPayload, headerSize, context);

    private void Append(ReadOnlySpan<byte> queue, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
    {
        if (_closed) return;
        lock (_gate)
        {
            if (_lastEnd == _length && _lastContext == context.Id && _lastMessage == context.CurrentMessage)
            {
                Reserve(MessageFrames.SizeOfTarget(queue.Length));
                if (MessageFrames.AddTarget(_buffer, _lastTargets, _length, queue, out var appended))
                {
                    _length += appended;
                    _lastEnd = _length;
                    return;
                }
            }
            if (_length == Start) context.Touched(this);
            var replyPrefix = reply.IsEmpty ? [] : _replyPrefix;
            var size = MessageFrames.SizeOf(subject.Length, replyPrefix.Length + reply.Length, queue.Length, headersAndPayload.Length);
            Reserve(size);
            var start = _length;
            var targets = MessageFrames.Write(_buffer.AsSpan(start), subject, replyPrefix, reply, queue, headersAndPayload, headerSize);
            _length += size;
            _lastTargets = new MessageFrames.Targets(start + targets.PlainAt, start + targets.QueueCountAt);
            _lastEnd = _length;
            _lastContext = context.Id;
            _lastMessage = context.CurrentMessage;
            Interlocked.Increment(ref _connection.OutMessages);
            if (_length >= SendAt) SendLocked();
        }
    }

    private int Start => GatewayFrames.HeaderSize + _account.Length;

    public override void Flush()
    {
        lock (_gate)
        {
            if (_length > Start) SendLocked();
        }
    }

    public override void OnAutoUnsubscribed(Subscription subscription)
    {
    }

    /// <summary>The connection is gone: nothing more is sent.</summary>
    public void Close() => _closed = true;

    private void Reserve(int size)
    {
        if (_length + size > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + size));
    }

    private void SendLocked()
    {
        GatewayFrames.WriteHeader(_buffer, GatewayFrames.Messages, _length - GatewayFrames.HeaderSize);
        var frame = _buffer.AsSpan(0, _length).ToArray();
        Interlocked.Add(ref _connection.OutBytes, frame.Length);
        _connection.Send(frame);
        if (_buffer.Length > SendAt) _buffer = new byte[4096];
        Reset();
    }

    private void Reset()
    {
        _account.CopyTo(_buffer, GatewayFrames.HeaderSize);
        _length = Start;
        _lastEnd = -1;
    }
}
