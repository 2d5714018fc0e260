using System.Buffers.Text;

namespace Broker.Bench.Drivers;

/// <summary>
/// Splits the server's output into frames cheaply: a control line, and for MSG/HMSG the body it
/// announces. Partial frames are kept for the next read. Answers PING so the server never thinks
/// the generator is stale. No allocation per frame.
/// </summary>
internal sealed class MsgFrameReader
{
    private byte[] _buffer;
    private int _start;
    private int _end;

    public MsgFrameReader(int size = 1 << 20) => _buffer = new byte[size];

    /// <summary>Free space to receive into; compacts (or grows, for a body larger than the buffer) first.</summary>
    public Memory<byte> FreeSpace()
    {
        if (_end == _buffer.Length)
        {
            if (_start == 0) Array.Resize(ref _buffer, _buffer.Length * 2);
            else
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
        }
        return _buffer.AsMemory(_end);
    }

    public void Advance(int received) => _end += received;

    /// <summary>
    /// Takes the next complete frame. <paramref name="kind"/> is 'M' for MSG/HMSG, 'P' for PING,
    /// 'O' for PONG, '+' or '-' for +OK/-ERR; <paramref name="line"/> is the control line without CRLF.
    /// </summary>
    public bool TryTake(out char kind, out ReadOnlySpan<byte> line, out ReadOnlySpan<byte> body)
    {
        kind = default;
        line = default;
        body = default;
        var pending = _buffer.AsSpan(_start, _end - _start);
        var newline = pending.IndexOf((byte)'\n');
        if (newline < 0) return false;
        line = pending[..(newline > 0 && pending[newline - 1] == '\r' ? newline - 1 : newline)];
        var first = line.IsEmpty ? (byte)0 : line[0];
        if (first is (byte)'M' or (byte)'H')
        {
            var sizeStart = line.LastIndexOf((byte)' ') + 1;
            if (!Utf8Parser.TryParse(line[sizeStart..], out int size, out _)) throw new IOException("bad MSG line: " + System.Text.Encoding.ASCII.GetString(line));
            var total = newline + 1 + size + 2;
            if (pending.Length < total) return false;
            body = pending.Slice(newline + 1, size);
            kind = 'M';
            _start += total;
            return true;
        }
        kind = first switch
        {
            (byte)'P' when line.Length > 1 && line[1] == 'I' => 'P',
            (byte)'P' => 'O',
            (byte)'+' => '+',
            (byte)'-' => '-',
            (byte)'I' => 'I',
            _ => throw new IOException("unexpected frame: " + System.Text.Encoding.ASCII.GetString(line)),
        };
        _start += newline + 1;
        return true;
    }
}
