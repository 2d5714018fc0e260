using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Broker.Tests.SlowConsumers;

/// <summary>
/// A raw-socket subscriber that counts every MSG it parses, optionally paced (small reads with a
/// short await between them, a reader slower than the publisher), and notes a -ERR and the close.
/// </summary>
public sealed class FrameCountingReader : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly List<byte> _line = new();
    private long _skip;

    private FrameCountingReader(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public int Messages { get; private set; }
    public string? Error { get; private set; }
    public bool Closed { get; private set; }

    /// <summary>The longest the reader went between two reads: how steady its pace was.</summary>
    public TimeSpan LongestGap { get; private set; }

    /// <summary>When the server closed the connection, from the reader's clock.</summary>
    public TimeSpan? ClosedAt { get; private set; }

    public static async Task<FrameCountingReader> SubscribeAsync(int port, string subject, int receiveBuffer)
    {
        var client = new TcpClient { ReceiveBufferSize = receiveBuffer };
        await client.ConnectAsync("127.0.0.1", port);
        var reader = new FrameCountingReader(client);
        await reader._stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {{\"verbose\":false}}\r\nSUB {subject} 1\r\nPING\r\n"));
        await Infrastructure.StreamReads.ReadUntilPongAsync(reader._stream);
        return reader;
    }

    /// <summary>
    /// Reads until <paramref name="expected"/> messages, a close, or the timeout, <paramref name="chunk"/>
    /// bytes per read; paced, it sleeps 1 ms after each read. On its own thread with blocking reads, so
    /// the in-process broker's load on the thread pool cannot stall it and make it look stuck.
    /// </summary>
    public Task ReadAsync(int expected, int chunk, bool paced, Stopwatch clock, TimeSpan timeout) =>
        Task.Factory.StartNew(() => Read(expected, chunk, paced, clock, timeout), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Read(int expected, int chunk, bool paced, Stopwatch clock, TimeSpan timeout)
    {
        var buffer = new byte[chunk];
        var until = clock.Elapsed + timeout;
        _client.Client.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        try
        {
            var last = clock.Elapsed;
            while (Messages < expected && clock.Elapsed < until)
            {
                var read = _client.Client.Receive(buffer);
                var now = clock.Elapsed;
                if (now - last > LongestGap) LongestGap = now - last;
                last = now;
                if (read == 0)
                {
                    MarkClosed(clock);
                    return;
                }
                Parse(buffer.AsSpan(0, read));
                if (paced) Thread.Sleep(1);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            // Timed out: the caller's assertions say what was missing.
        }
        catch (SocketException)
        {
            MarkClosed(clock);
        }
    }

    private void MarkClosed(Stopwatch clock)
    {
        Closed = true;
        ClosedAt = clock.Elapsed;
    }

    private void Parse(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_skip > 0)
            {
                var n = (int)Math.Min(_skip, data.Length);
                _skip -= n;
                data = data[n..];
                continue;
            }
            var b = data[0];
            data = data[1..];
            if (b != (byte)'\n')
            {
                _line.Add(b);
                continue;
            }
            var line = Encoding.ASCII.GetString(_line.ToArray()).TrimEnd('\r');
            _line.Clear();
            if (line.StartsWith("MSG ", StringComparison.Ordinal))
            {
                Messages++;
                _skip = long.Parse(line[(line.LastIndexOf(' ') + 1)..]) + 2;
            }
            else if (line.StartsWith("-ERR", StringComparison.Ordinal))
            {
                Error = line;
            }
        }
    }

    public void Dispose() => _client.Dispose();
}
