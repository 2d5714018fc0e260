namespace Broker.LeafNodes;

public sealed partial class LeafConnection
{
    /// <summary>1 while some thread owns writing; whoever flushes first takes it.</summary>
    private int _writing;
    private readonly TaskCompletionSource _writerIdle = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Flush()
    {
        if (Interlocked.CompareExchange(ref _writing, 1, 0) != 0) return;
        _ = WriteAsync();
    }

    private async Task WriteAsync()
    {
        var deadline = _server.Options.WriteDeadline;
        try
        {
            while (true)
            {
                var segment = _outbound.Take();
                if (segment.Count > 0)
                {
                    await _stream.WriteAsync(segment.AsMemory(), _closing.Token).AsTask().WaitAsync(deadline).ConfigureAwait(false);
                    Progressed();
                    continue;
                }
                Volatile.Write(ref _writing, 0);
                // Output queued after our last look found the writer busy and left it to us.
                if (_outbound.Pending > 0 && Interlocked.CompareExchange(ref _writing, 1, 0) == 0) continue;
                break;
            }
        }
        catch (TimeoutException)
        {
            Close("Slow Consumer (Write Deadline)");
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Close("Write Error");
        }
        if (IsClosed) _writerIdle.TrySetResult();
        Progressed();
    }

    /// <summary>Queues a protocol frame of our own and sends it.</summary>
    internal void SendProtocol(ReadOnlySpan<byte> frame)
    {
        if (!_outbound.AppendProtocol(frame, out _))
        {
            Close("Slow Consumer (Pending Bytes)");
            return;
        }
        Flush();
    }

    /// <summary>Interest changes for the peer, in order (called by <see cref="AccountLeafInterest"/> under its lock).</summary>
    internal void SendInterest(IReadOnlyList<byte[]> frames)
    {
        foreach (var frame in frames)
        {
            if (!_outbound.AppendProtocol(frame, out _))
            {
                // Not here: the caller holds the account interest's lock and is walking its links; closing detaches from it.
                _ = Task.Run(() => Close("Slow Consumer (Pending Bytes)"));
                return;
            }
        }
        Flush();
    }

    /// <summary>Called by any publisher: queue the message as LMSG/HMSG for the peer, flushed at the end of the publisher's batch.</summary>
    public override void Deliver(
        Subjects.Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize,
        Subjects.DeliveryContext context)
    {
        // Never back to where it came from; and a leaf does not pass one hub's messages to another hub.
        if (ReferenceEquals(context.Publisher, this) || IsClosed) return;
        if (IsSpoke && (context.Publisher is LeafConnection { IsSpoke: true } || context.FromOtherNode)) return;
        if (_outgoingRule is { } rule && !rule.Allows(subject) && !LeafSubjectRule.IsExempt(subject)) return;
        if (!_outbound.AppendMessage(subscription.Queue, subject, reply, headersAndPayload, headerSize, context, out var wasEmpty))
        {
            _server.SlowConsumerDetected();
            Close("Slow Consumer (Pending Bytes)");
            return;
        }
        if (wasEmpty) context.Touched(this);
        // Crowded: the publisher pauses (a client's read loop, this or another link's) instead of the link being cut and its messages lost.
        if (context.PausesForRoom && _outbound.IsCrowded) context.Crowded(this);
    }

    /// <summary>A link has no UNSUB max: the peer counts its own subscribers' deliveries.</summary>
    public override void OnAutoUnsubscribed(Subjects.Subscription subscription)
    {
    }
}
