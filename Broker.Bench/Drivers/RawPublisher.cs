using System.Net;
using System.Text;

namespace Broker.Bench.Drivers;

/// <summary>Writes a pre-built run of identical PUB frames; the server's answers (only PONGs) are read on flush.</summary>
internal sealed class RawPublisher : IBenchPublisher
{
    private const int ChunkBytes = 256 * 1024;

    private readonly RawConnection _connection;
    private readonly byte[] _chunk;
    private readonly int _frameLength;
    private readonly int _framesPerChunk;

    public RawPublisher(IPEndPoint server, string subject, int payloadSize)
    {
        _connection = RawConnection.Open(server);
        var frame = PubFrame(subject, null, payloadSize);
        _frameLength = frame.Length;
        _framesPerChunk = Math.Max(1, ChunkBytes / _frameLength);
        _chunk = new byte[_frameLength * _framesPerChunk];
        for (var i = 0; i < _framesPerChunk; i++) frame.CopyTo(_chunk, i * _frameLength);
    }

    /// <summary><c>PUB subject [reply] size</c>, CRLF, a payload of 'x', CRLF.</summary>
    public static byte[] PubFrame(string subject, string? reply, int payloadSize)
    {
        var head = Encoding.ASCII.GetBytes(reply is null ? $"PUB {subject} {payloadSize}\r\n" : $"PUB {subject} {reply} {payloadSize}\r\n");
        var frame = new byte[head.Length + payloadSize + 2];
        head.CopyTo(frame, 0);
        frame.AsSpan(head.Length, payloadSize).Fill((byte)'x');
        frame[^2] = (byte)'\r';
        frame[^1] = (byte)'\n';
        return frame;
    }

    public ValueTask PublishAsync(int count)
    {
        while (count > 0)
        {
            var frames = Math.Min(count, _framesPerChunk);
            _connection.Send(_chunk.AsSpan(0, frames * _frameLength));
            count -= frames;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync()
    {
        _connection.Send("PING\r\n"u8);
        var reader = new MsgFrameReader(4096);
        while (true)
        {
            var read = _connection.Socket.Receive(reader.FreeSpace().Span);
            if (read == 0) throw new IOException("server closed the publisher's connection");
            reader.Advance(read);
            while (reader.TryTake(out var kind, out var line, out _))
            {
                if (kind == 'O') return ValueTask.CompletedTask;
                if (kind == '-') throw new IOException("server error: " + Encoding.ASCII.GetString(line));
                if (kind == 'P') _connection.Send("PONG\r\n"u8);
            }
        }
    }

    public void Dispose() => _connection.Dispose();
}
