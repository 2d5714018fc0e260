using System.Net;

namespace Broker.Bench.Drivers;

/// <summary>Requests as a client library sends them: PUB with a reply subject under a wildcard inbox subscription.</summary>
internal sealed class RawRequester : IBenchRequester
{
    private readonly RawConnection _connection;
    private readonly byte[] _request;
    private readonly MsgFrameReader _reader = new();
    private byte[] _batch = [];

    public RawRequester(IPEndPoint server, string subject, int payloadSize)
    {
        _connection = RawConnection.Open(server, "SUB _INBOX.bench.* 1\r\n");
        // A lost reply fails the run instead of hanging it.
        _connection.Socket.ReceiveTimeout = 30_000;
        _request = RawPublisher.PubFrame(subject, "_INBOX.bench.1", payloadSize);
    }

    public ValueTask RequestAsync()
    {
        _connection.Send(_request);
        ReceiveReplies(1, sendMore: 0);
        return ValueTask.CompletedTask;
    }

    public ValueTask RunInFlightAsync(int total, int inFlight)
    {
        _batch = new byte[_request.Length * inFlight];
        for (var i = 0; i < inFlight; i++) _request.CopyTo(_batch, i * _request.Length);
        var first = Math.Min(total, inFlight);
        _connection.Send(_batch.AsSpan(0, first * _request.Length));
        ReceiveReplies(total, sendMore: total - first);
        return ValueTask.CompletedTask;
    }

    /// <summary>Receives <paramref name="replies"/> replies, sending one more request per reply while any are left to send.</summary>
    private void ReceiveReplies(int replies, int sendMore)
    {
        while (replies > 0)
        {
            var read = _connection.Socket.Receive(_reader.FreeSpace().Span);
            if (read == 0) throw new IOException("server closed the requester's connection");
            _reader.Advance(read);
            var answered = 0;
            while (_reader.TryTake(out var kind, out _, out _))
            {
                if (kind == 'M') answered++;
                else if (kind == 'P') _connection.Send("PONG\r\n"u8);
            }
            replies -= answered;
            var more = Math.Min(answered, sendMore);
            if (more > 0) _connection.Send(_batch.AsSpan(0, more * _request.Length));
            sendMore -= more;
        }
    }

    public void Dispose() => _connection.Dispose();
}
