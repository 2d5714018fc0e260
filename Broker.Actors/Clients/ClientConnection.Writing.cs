using System.Net.Sockets;
using Broker.Protocol;

namespace Broker.Clients;

public sealed partial class ClientConnection
{
    /// <summary>
    /// Waits for flush signals and writes everything queued, one send per segment. A send slower
    /// than write_deadline marks the client a slow consumer. When the connection closes, what is
    /// left is drained (bounded by the same deadline) before the socket closes.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        var deadline = _server.Options.WriteDeadline;
        var timeout = new CancellationTokenSource();
        try
        {
            var reader = _flushSignal.Reader;
            while (true)
            {
                var more = await reader.WaitToReadAsync().ConfigureAwait(false);
                reader.TryRead(out _);
                while (true)
                {
                    var segments = _outbound.TakeForWrite();
                    if (segments.Count == 0) break;
                    if (!timeout.TryReset()) timeout = new CancellationTokenSource();
                    timeout.CancelAfter(deadline);
                    foreach (var segment in segments)
                    {
                        var sent = 0;
                        while (sent < segment.Count)
                        {
                            sent += await _socket.SendAsync(segment.AsMemory(sent), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                        }
                    }
                    _outbound.WriteCompleted(segments);
                }
                if (!more) break;
            }
        }
        catch (OperationCanceledException)
        {
            if (!IsClosed)
            {
                _server.Stats.SlowConsumerDetected();
                _server.Log.Notice($"{Description} - Slow Consumer Detected: WriteDeadline of {deadline} exceeded");
                Close(CloseReason.SlowConsumerWriteDeadline);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Close(CloseReason.WriteError);
        }
        finally
        {
            timeout.Dispose();
            CloseSocket();
            Finished();
        }
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
        switch (_outbound.AppendProtocol(frame))
        {
            case AppendResult.NeedsFlush:
                _touched.Add(this);
                break;
            case AppendResult.Full:
                OnSlowConsumer();
                break;
        }
    }

    private void SendError(string text) => SendProtocol(ProtocolErrors.Frame(text));
}
