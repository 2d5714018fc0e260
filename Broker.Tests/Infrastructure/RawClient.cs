using System.Net.Sockets;
using System.Text;

namespace Broker.Tests.Infrastructure;

/// <summary>A plain TCP client for tests where the exact protocol bytes matter.</summary>
public sealed class RawClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StringBuilder _received = new();
    private readonly byte[] _buffer = new byte[64 * 1024];

    private RawClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Everything received and not yet consumed by a ReadUntil call.</summary>
    public string Pending => _received.ToString();

    public bool RemoteClosed { get; private set; }

    public static async Task<RawClient> ConnectAsync(int port, bool readInfo = true)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        var client = new RawClient(tcp);
        if (readInfo) await client.ReadLineAsync();
        return client;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Reads until the received text contains <paramref name="marker"/>; returns everything up to and including it.</summary>
    public async Task<string> ReadUntilAsync(string marker, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var text = _received.ToString();
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                _received.Remove(0, at + marker.Length);
                return text[..(at + marker.Length)];
            }
            if (RemoteClosed) throw new IOException($"connection closed before '{marker}'; received: '{text}'");
            await FillAsync(cts.Token, marker);
        }
    }

    public Task<string> ReadLineAsync(TimeSpan? timeout = null) => ReadUntilAsync("\r\n", timeout);

    /// <summary>Reads until the server closes the connection; returns all that arrived.</summary>
    public async Task<string> ReadToCloseAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (!RemoteClosed) await FillAsync(cts.Token, "<close>");
        var text = _received.ToString();
        _received.Clear();
        return text;
    }

    private async Task FillAsync(CancellationToken token, string waitingFor)
    {
        int read;
        try
        {
            read = await _stream.ReadAsync(_buffer, token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"timed out waiting for '{waitingFor}'; received: '{_received}'");
        }
        catch (IOException)
        {
            read = 0;
        }
        if (read == 0)
        {
            RemoteClosed = true;
            return;
        }
        _received.Append(Encoding.UTF8.GetString(_buffer, 0, read));
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
