using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Broker.Configuration;
using Broker.Transport;

namespace Broker.Clients;

public sealed partial class ClientConnection
{
    /// <summary>The client's certificate after a verified TLS handshake (for verify_and_map).</summary>
    public X509Certificate2? ClientCertificate { get; private set; }

    public bool IsTls => _transport is ClientTransport.Tls;

    /// <summary>
    /// As nats-server 2.9: INFO goes out in the clear with <c>tls_required</c>, then the client
    /// starts the handshake. A handshake that fails or outlasts <c>tls.timeout</c> closes the connection.
    /// </summary>
    private async Task<bool> UpgradeToTlsAsync(TlsOptions tls)
    {
        var stream = new SslStream(new NetworkStream(_socket, ownsSocket: false), leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificate = tls.Certificate,
            ClientCertificateRequired = tls.Verify,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => !tls.Verify || ClientCertificateValid(tls, certificate, errors),
        };
        try
        {
            using var timeout = new CancellationTokenSource(tls.Timeout);
            await stream.AuthenticateAsServerAsync(options, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            _server.Log.Error($"{Description} - TLS handshake error: {(e is OperationCanceledException ? "timeout" : e.Message)}");
            await stream.DisposeAsync().ConfigureAwait(false);
            return false;
        }
        if (stream.RemoteCertificate is { } remote) ClientCertificate = remote as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(remote.GetRawCertData());
        _transport = new ClientTransport.Tls(stream);
        return true;
    }

    /// <summary>The client's certificate must chain to the configured CA (and only to it), or without a <c>ca_file</c> to the system's roots, as in nats-server.</summary>
    internal static bool ClientCertificateValid(TlsOptions tls, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) return false;
        if (tls.Authorities is null) return errors == SslPolicyErrors.None;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(tls.Authorities!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
