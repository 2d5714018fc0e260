using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Broker.Configuration;
using Broker.Logging;

namespace Broker.Resolvers;

/// <summary>
/// nats-server's URL resolver (nats-account-server's API): GET base + account key; a 200 is the
/// JWT, anything else (or no answer within the timeout, 1.9 s by default) means not found now.
/// Nothing is remembered: the next connect asks again.
/// </summary>
public sealed class UrlAccountFetcher : IAccountFetcher, IDisposable
{
    /// <summary>An account JWT is a few KB; a larger answer is not one.</summary>
    private const int MaxJwtBytes = 1 << 20;

    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly ServerLog _log;

    public UrlAccountFetcher(ResolverOptions options, ServerLog log)
    {
        _baseUrl = options.Url ?? throw new ArgumentException("a URL resolver needs a URL", nameof(options));
        _log = log;
        var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false };
        if (options.Tls is { } tls)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = tls.Certificate is null ? null : [tls.Certificate],
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    tls.Insecure || (tls.Authorities is null ? errors == SslPolicyErrors.None : Trusted(tls.Authorities, certificate)),
            };
        }
        _http = new HttpClient(handler) { Timeout = options.Timeout, MaxResponseContentBufferSize = MaxJwtBytes };
    }

    public async Task<string?> FetchAsync(string account, CancellationToken cancellation)
    {
        var url = _baseUrl + account;
        try
        {
            using var response = await _http.GetAsync(url, cancellation).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                _log.Debug($"Account {account} not fetched from {_baseUrl}: HTTP {(int)response.StatusCode}");
                return null;
            }
            return (await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false)).Trim();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException)
        {
            _log.Warn($"Account {account} not fetched from {_baseUrl}: {(e is TaskCanceledException or OperationCanceledException ? "timed out" : e.Message)}");
            return null;
        }
    }

    /// <summary>Whether the account server's certificate chains to the <c>resolver_tls</c> CA.</summary>
    private static bool Trusted(X509Certificate2Collection authorities, X509Certificate? certificate)
    {
        if (certificate is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    public void Dispose() => _http.Dispose();
}
