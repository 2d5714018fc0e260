using System.Net;
using System.Net.Sockets;

namespace Broker.Bench.Drivers;

/// <summary>One subscription on its own connection and thread, counting MSG frames as they arrive.</summary>
internal sealed class RawSubscriber : IBenchSubscriber
{
    private readonly RawConnection _connection;
    private readonly ProgressSignal _progress;
    private readonly Thread _thread;
    private long _received;

    public RawSubscriber(IPEndPoint server, string subject, string? queueGroup, ProgressSignal progress)
    {
        _progress = progress;
        _connection = RawConnection.Open(server, queueGroup is null ? $"SUB {subject} 1\r\n" : $"SUB {subject} {queueGroup} 1\r\n");
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = "raw-sub " + subject };
        _thread.Start();
    }

    public long Received => Volatile.Read(ref _received);

    private void ReceiveLoop()
    {
        var reader = new MsgFrameReader();
        try
        {
            while (true)
            {
                var read = _connection.Socket.Receive(reader.FreeSpace().Span);
                if (read == 0) return;
                reader.Advance(read);
                var messages = 0;
                while (reader.TryTake(out var kind, out _, out _))
                {
                    if (kind == 'M') messages++;
                    else if (kind == 'P') _connection.Send("PONG\r\n"u8);
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
            // Disposed at the end of the run.
        }
    }

    public void Dispose() => _connection.Dispose();
}
