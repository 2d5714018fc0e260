using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Broker.Tests.Resolvers;

/// <summary>
/// An in-test account server with nats-account-server's read API: GET &lt;base&gt;/&lt;key&gt; answers
/// 200 with the JWT it holds, 404 otherwise (the base itself 200); an answer can be delayed or replaced by any status
/// and body. Listens on 127.0.0.1, an ephemeral port; counts the requests per key. Given a
/// certificate it speaks https, and with a client CA it requires a client certificate issued by it.
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

    private readonly X509Certificate2? _certificate;
    private readonly X509Certificate2Collection? _clientAuthorities;

    /// <summary>TLS handshakes that failed (the client did not trust this server, or brought no acceptable certificate).</summary>
    public int FailedHandshakes => _failedHandshakes;

    private int _failedHandshakes;

    /// <summary>Connections accepted, whether or not a request came over them.</summary>
    public int Accepted => _accepted;

    private int _accepted;

    public AccountServer(X509Certificate2? certificate = null, X509Certificate2Collection? clientAuthorities = null)
    {
        _certificate = certificate;
        _clientAuthorities = clientAuthorities;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string BaseUrl => $"{(_certificate is null ? "http" : "https")}://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/jwt/v1/accounts/";

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
            Interlocked.Increment(ref _accepted);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var network = new NetworkStream(socket, ownsSocket: true);
        try
        {
            await using var stream = await SecureAsync(network);
            if (stream is null) return;
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
                // The base URL itself answers 200, as nats-account-server does: nats-server asks it at start.
                : path == "/jwt/v1/accounts/" ? (200, "")
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

    /// <summary>The stream to speak HTTP on: the socket's, or a TLS session over it (null when its handshake failed).</summary>
    private async Task<Stream?> SecureAsync(NetworkStream network)
    {
        if (_certificate is null) return new NetworkStream(network.Socket, ownsSocket: false);
        var tls = new SslStream(network, leaveInnerStreamOpen: true);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _certificate,
                ClientCertificateRequired = _clientAuthorities is not null,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => _clientAuthorities is null || IssuedBy(_clientAuthorities, certificate),
            }, _stop.Token);
            return tls;
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            Interlocked.Increment(ref _failedHandshakes);
            await tls.DisposeAsync();
            return null;
        }
    }

    private static bool IssuedBy(X509Certificate2Collection authorities, X509Certificate? certificate)
    {
        if (certificate is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
