using System.Net.Sockets;
using Broker.Protocol;

namespace Broker.Clients;

public sealed partial class ClientConnection
{
    /// <summary>1 while some thread owns writing to the socket; whoever flushes first takes it.</summary>
    private int _writerActive;
    private int _finished;

    /// <summary>
    /// Writes queued output now, on the calling thread, unless a write is already under way (that
    /// writer will see the new output before it lets go). A send that completes at once, the usual
    /// case, costs no thread hop; one that must wait continues on the pool, bounded by write_deadline.
    /// </summary>
    private void TryStartWriting()
    {
        if (Interlocked.CompareExchange(ref _writerActive, 1, 0) != 0) return;
        _ = WriteAsync();
    }

    private async Task WriteAsync()
    {
        var deadline = _server.Options.WriteDeadline;
        try
        {
            while (true)
            {
                var segments = _outbound.TakeForWrite();
                if (segments.Count > 0)
                {
                    foreach (var segment in segments)
                    {
                        var sent = 0;
                        while (sent < segment.Count)
                        {
                            var pending = _transport.SendAsync(segment.AsMemory(sent));
                            var n = pending.IsCompletedSuccessfully ? pending.Result : await pending.AsTask().WaitAsync(deadline).ConfigureAwait(false);
                            sent += n;
                            _outbound.Written(n);
                        }
                    }
                    _outbound.WriteCompleted(segments);
                    continue;
                }
                if (IsClosed) break;
                Volatile.Write(ref _writerActive, 0);
                // Output or a close that arrived after our last look found the writer busy and left it to us.
                if ((_outbound.HasQueued || IsClosed) && Interlocked.CompareExchange(ref _writerActive, 1, 0) == 0) continue;
                return;
            }
        }
        catch (TimeoutException)
        {
            if (!IsClosed)
            {
                _server.SlowConsumerDetected();
                _server.Log.Notice($"{Description} - Slow Consumer Detected: WriteDeadline of {deadline} exceeded");
                Close(CloseReason.SlowConsumerWriteDeadline);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Close(CloseReason.WriteError);
        }
        catch (Exception e)
        {
            _server.Log.Error($"{Description} - write failed: {e}");
            Close(CloseReason.WriteError);
        }
        // Closed, and this writer owns the socket for good: nothing else will be written.
        FinishClose();
    }

    private void FinishClose()
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return;
        CloseSocket();
        Finished();
    }

    private void CloseSocket()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone: the peer closed first.
        }
        _socket.Dispose();
    }

    /// <summary>Queues a protocol frame of our own and remembers to flush it with this batch.</summary>
    private void SendProtocol(ReadOnlySpan<byte> frame)
    {
        if (_server.Log.IsTraceEnabled) TraceOutProtocol(frame);
        switch (_outbound.AppendProtocol(frame))
        {
            case AppendResult.NeedsFlush:
                _delivery.Touched(this);
                break;
            case AppendResult.Full:
                OnSlowConsumer();
                break;
        }
    }

    private void SendError(string text) => SendProtocol(ProtocolErrors.Frame(text));
}
