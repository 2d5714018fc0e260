using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Broker.Tests.Resolvers;

/// <summary>
/// An in-test account server with nats-account-server's read API: GET &lt;base&gt;/&lt;key&gt; answers
/// 200 with the JWT it holds, 404 otherwise; an answer can be delayed or replaced by any status
/// and body. Listens on 127.0.0.1, an ephemeral port; counts the requests per key.
/// </summary>
internal sealed class AccountServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ConcurrentDictionary<string, string> Jwts { get; } = new();
    public ConcurrentDictionary<string, (int Status, string Body)> Overrides { get; } = new();
    public ConcurrentDictionary<string, int> Requests { get; } = new();
    public TimeSpan Delay { get; set; }

    public AccountServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/jwt/v1/accounts/";

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            var requestLine = await reader.ReadLineAsync(_stop.Token) ?? "";
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync(_stop.Token)))
            {
                // Headers are not needed.
            }
            var path = requestLine.Split(' ') is [_, var target, ..] ? target : "";
            var key = path.Split('/')[^1];
            Requests.AddOrUpdate(key, 1, (_, n) => n + 1);
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay, _stop.Token);
            var (status, body) = Overrides.TryGetValue(key, out var forced) ? forced
                : path.StartsWith("/jwt/v1/accounts/", StringComparison.Ordinal) && Jwts.TryGetValue(key, out var jwt) ? (200, jwt)
                : (404, "not found");
            var bytes = Encoding.UTF8.GetBytes(body);
            var head = $"HTTP/1.1 {status} X\r\nContent-Type: application/jwt\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
            await stream.WriteAsync(bytes, _stop.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // The broker gave up (its timeout) or the test ended.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
