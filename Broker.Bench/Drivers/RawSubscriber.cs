using System.Net;
using System.Net.Sockets;

namespace Broker.Bench.Drivers;

/// <summary>
/// One subscription on its own connection and thread, counting MSG frames as they arrive (every
/// frame's header parsed), and noting an -ERR or a close by the server (a slow-consumer cut-off).
/// </summary>
internal sealed class RawSubscriber : IBenchSubscriber
{
    private readonly RawConnection _connection;
    private readonly ProgressSignal _progress;
    private readonly Thread _thread;
    private long _received;
    private volatile bool _disposed;
    private volatile string? _error;
    private volatile bool _closedByServer;

    public RawSubscriber(IPEndPoint server, string subject, string? queueGroup, ProgressSignal progress)
    {
        _progress = progress;
        _connection = RawConnection.Open(server, queueGroup is null ? $"SUB {subject} 1\r\n" : $"SUB {subject} {queueGroup} 1\r\n");
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = "raw-sub " + subject };
        _thread.Start();
    }

    public long Received => Volatile.Read(ref _received);

    /// <summary>The last -ERR the server sent, if any (nats-server's and Broker's slow-consumer cut-off sends one).</summary>
    public string? Error => _error;

    /// <summary>True once the server closed the connection (or it broke) before the run disposed it.</summary>
    public bool ClosedByServer => _closedByServer;

    private void ReceiveLoop()
    {
        var reader = new MsgFrameReader();
        try
        {
            while (true)
            {
                var read = _connection.Socket.Receive(reader.FreeSpace().Span);
                if (read == 0)
                {
                    _closedByServer = !_disposed;
                    return;
                }
                reader.Advance(read);
                var messages = 0;
                while (reader.TryTake(out var kind, out var line, out _))
                {
                    if (kind == 'M') messages++;
                    else if (kind == 'P') _connection.Send("PONG\r\n"u8);
                    else if (kind == '-') _error = System.Text.Encoding.ASCII.GetString(line);
                }
                if (messages > 0)
                {
                    Volatile.Write(ref _received, _received + messages);
                    _progress.Pulse();
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Disposed at the end of the run, or cut by the server.
            _closedByServer = !_disposed;
        }
        finally
        {
            // A late pulse lets a waiting run see the close at once.
            _progress.Pulse();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _connection.Dispose();
    }
}
