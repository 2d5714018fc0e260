using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;

namespace Broker.Bench.Drivers;

/// <summary>Answers each request (<c>MSG subject sid reply size</c>) with a PUB of the same body to its reply subject.</summary>
internal sealed class RawResponder : IDisposable
{
    private readonly RawConnection _connection;

    public RawResponder(IPEndPoint server, string subject)
    {
        _connection = RawConnection.Open(server, $"SUB {subject} 1\r\n");
        new Thread(ReceiveLoop) { IsBackground = true, Name = "raw-responder" }.Start();
    }

    private void ReceiveLoop()
    {
        var reader = new MsgFrameReader();
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (true)
            {
                var read = _connection.Socket.Receive(reader.FreeSpace().Span);
                if (read == 0) return;
                reader.Advance(read);
                output.ResetWrittenCount();
                while (reader.TryTake(out var kind, out var line, out var body))
                {
                    if (kind == 'P') output.Write("PONG\r\n"u8);
                    if (kind != 'M') continue;
                    // MSG <subject> <sid> <reply> <size>: the reply is the fourth token.
                    var rest = line;
                    for (var i = 0; i < 3; i++) rest = rest[(rest.IndexOf((byte)' ') + 1)..];
                    var reply = rest[..rest.IndexOf((byte)' ')];
                    var frame = output.GetSpan(4 + reply.Length + 1 + 10 + 2 + body.Length + 2);
                    var at = 0;
                    "PUB "u8.CopyTo(frame);
                    at += 4;
                    reply.CopyTo(frame[at..]);
                    at += reply.Length;
                    frame[at++] = (byte)' ';
                    Utf8Formatter.TryFormat(body.Length, frame[at..], out var written);
                    at += written;
                    frame[at++] = (byte)'\r';
                    frame[at++] = (byte)'\n';
                    body.CopyTo(frame[at..]);
                    at += body.Length;
                    frame[at++] = (byte)'\r';
                    frame[at++] = (byte)'\n';
                    output.Advance(at);
                }
                if (output.WrittenCount > 0) _connection.Send(output.WrittenSpan);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Disposed at the end of the run.
        }
    }

    public void Dispose() => _connection.Dispose();
}
