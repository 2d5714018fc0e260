using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Broker.Configuration;

namespace Broker.Security;

/// <summary>
/// TLS on a server-to-server link (node data connections, gateways): both sides present their
/// certificate and each must chain to the other side's <c>ca_file</c> (the system's roots when
/// there is none), as nats-server requires of routes and gateways. The side that dials also checks
/// that the certificate names the host it dialed (a DNS or IP subject alternative name), as
/// nats-server does, unless the block says <c>insecure: true</c>.
/// </summary>
public static class LinkTls
{
    public static async Task<SslStream> AcceptAsync(Socket socket, TlsOptions tls, CancellationToken stopping)
    {
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(tls.Timeout);
        try
        {
            await stream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = tls.Certificate,
                ClientCertificateRequired = true,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => Trusted(tls, certificate),
            }, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return stream;
    }

    public static async Task<SslStream> ConnectAsync(Socket socket, TlsOptions tls, string host, CancellationToken stopping)
    {
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(tls.Timeout);
        try
        {
            await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                ClientCertificates = [tls.Certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => tls.Certificate,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(tls, certificate) && NamesDialedHost(tls, errors),
            }, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return stream;
    }

    /// <summary>Whether the dialed peer's certificate names the host it was dialed by (SslStream's check against the target host), or the link skips that check.</summary>
    public static bool NamesDialedHost(TlsOptions tls, SslPolicyErrors errors) =>
        tls.Insecure || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;

    /// <summary>Whether <paramref name="certificate"/> chains to the link's <c>ca_file</c> (or the system's roots without one).</summary>
    public static bool Trusted(TlsOptions tls, X509Certificate? certificate)
    {
        if (certificate is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (tls.Authorities is { } authorities)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        }
        var peer = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(peer);
    }

    /// <summary>Whether an exception is a failed handshake (a peer without the right certificate, or no TLS at all), rather than a bug.</summary>
    public static bool IsHandshakeFailure(Exception e) =>
        e is AuthenticationException or IOException or SocketException or OperationCanceledException or ObjectDisposedException;
}
