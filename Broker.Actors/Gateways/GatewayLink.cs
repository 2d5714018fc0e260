using Broker.Cluster;
using Broker.Subjects;
using Broker.Links;

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
    private const int SendAt = 64 * 1024;

    private readonly object _gate = new();
    private readonly FramedConnection _connection;
    private readonly byte[] _replyPrefix;
    private readonly FrameBatch _batch;
    private volatile bool _closed;

    public GatewayLink(string account, FramedConnection connection, byte[] replyPrefix)
    {
        Account = account;
        _connection = connection;
        _replyPrefix = replyPrefix;
        // Every batch goes out as one gateway frame: header space, then the account's name.
        _batch = new FrameBatch([.. new byte[GatewayFrames.HeaderSize], .. AccountPrefix.For(account)]);
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
            if (_batch.Append(queue, subject, _replyPrefix, reply, headersAndPayload, headerSize, context)) context.Touched(this);
            if (_batch.Length >= SendAt) SendLocked();
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            if (!_batch.IsEmpty) SendLocked();
        }
    }

    public override void OnAutoUnsubscribed(Subscription subscription)
    {
    }

    /// <summary>The connection is gone: nothing more is sent.</summary>
    public void Close() => _closed = true;

    private void SendLocked()
    {
        var bytes = _batch.Bytes;
        GatewayFrames.WriteHeader(bytes, GatewayFrames.Messages, bytes.Length - GatewayFrames.HeaderSize);
        Interlocked.Add(ref _connection.OutMessages, _batch.Messages);
        Interlocked.Add(ref _connection.OutBytes, bytes.Length);
        _connection.Send(bytes.ToArray());
        _batch.Clear(keepUpTo: 4 * SendAt);
    }
}
