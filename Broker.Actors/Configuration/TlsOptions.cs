using System.Security.Cryptography.X509Certificates;

namespace Broker.Configuration;

/// <summary>
/// nats-server's <c>tls { }</c> for client connections, loaded and checked at start: the server's
/// certificate and key, the CA that client certificates must chain to, whether clients must present
/// one (<c>verify</c>), and whether the certificate names the user (<c>verify_and_map</c>).
/// </summary>
public sealed record TlsOptions(X509Certificate2 Certificate)
{
    public X509Certificate2Collection? Authorities { get; init; }
    public bool Verify { get; init; }
    public bool VerifyAndMap { get; init; }

    /// <summary>
    /// <c>insecure</c>: a link that dials (route, gateway) does not check that the peer's certificate
    /// names the host it dialed. Unlike nats-server, the certificate must still chain to <c>ca_file</c>.
    /// </summary>
    public bool Insecure { get; init; }

    /// <summary>Time a client has to complete the handshake (nats-server's <c>tls.timeout</c>, default 2s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);
}
