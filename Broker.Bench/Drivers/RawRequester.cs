using System.Net;

namespace Broker.Bench.Drivers;

/// <summary>Requests as a client library sends them: PUB with a reply subject under a wildcard inbox subscription.</summary>
internal sealed class RawRequester : IBenchRequester
{
    private readonly RawConnection _connection;
    private readonly byte[] _request;
    private readonly MsgFrameReader _reader = new();
    private byte[] _batch = [];
    // Send times of the requests outstanding, oldest first: one responder answers in order, so the
    // next reply belongs to the oldest request.
    private long[] _sentAt = [];
    private int _oldest;
    private int _outstanding;
    private double[]? _latencies;
    private int _answered;

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

    public ValueTask RunInFlightAsync(int total, int inFlight, double[]? latencies = null)
    {
        _batch = new byte[_request.Length * inFlight];
        for (var i = 0; i < inFlight; i++) _request.CopyTo(_batch, i * _request.Length);
        _sentAt = new long[inFlight];
        _oldest = 0;
        _outstanding = 0;
        _answered = 0;
        _latencies = latencies;
        var first = Math.Min(total, inFlight);
        SendBatch(first);
        ReceiveReplies(total, sendMore: total - first);
        _latencies = null;
        return ValueTask.CompletedTask;
    }

    private void SendBatch(int requests)
    {
        if (_latencies is not null)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            for (var i = 0; i < requests; i++) _sentAt[(_oldest + _outstanding++) % _sentAt.Length] = now;
        }
        _connection.Send(_batch.AsSpan(0, requests * _request.Length));
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
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            while (_reader.TryTake(out var kind, out _, out _))
            {
                if (kind == 'M')
                {
                    answered++;
                    if (_latencies is not null && _outstanding > 0)
                    {
                        _latencies[_answered++] = System.Diagnostics.Stopwatch.GetElapsedTime(_sentAt[_oldest], now).TotalMicroseconds;
                        _oldest = (_oldest + 1) % _sentAt.Length;
                        _outstanding--;
                    }
                }
                else if (kind == 'P') _connection.Send("PONG\r\n"u8);
            }
            replies -= answered;
            var more = Math.Min(answered, sendMore);
            if (more > 0)
            {
                if (_latencies is not null) SendBatch(more);
                else _connection.Send(_batch.AsSpan(0, more * _request.Length));
            }
            sendMore -= more;
        }
    }

    public void Dispose() => _connection.Dispose();
}
