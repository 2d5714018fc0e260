using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Broker.Configuration;

namespace Broker.Tests;

/// <summary>
/// Certificates for TLS on cluster and gateway links, made for the test in a temporary directory
/// (no private key is committed): a CA, a node certificate it issued (server and client use,
/// for localhost and 127.0.0.1), "mallory", a certificate of the same shape from another CA, and
/// "elsewhere", from the link CA but naming another host (elsewhere.invalid, 127.0.0.2).
/// </summary>
public sealed class LinkCertificates : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"broker-link-tls-{Guid.NewGuid():N}");

    public LinkCertificates()
    {
        Directory.CreateDirectory(_directory);
        using var ca = CreateCa("CN=Broker Link CA", "ca");
        using var other = CreateCa("CN=Mallory CA", "other-ca");
        Issue(ca, "node");
        Issue(other, "mallory");
        Issue(ca, "elsewhere", "elsewhere.invalid", IPAddress.Parse("127.0.0.2"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public string File(string name) => Path.Combine(_directory, name);

    /// <summary>A <c>tls { }</c> block's body: <paramref name="certificate"/>'s files, trusting the link CA.</summary>
    public string Block(string certificate = "node", string timeout = "5s") =>
        $"cert_file: \"{File($"{certificate}.pem")}\", key_file: \"{File($"{certificate}-key.pem")}\", ca_file: \"{File("ca.pem")}\", timeout: \"{timeout}\"";

    /// <summary>The same, loaded as the broker loads it.</summary>
    public TlsOptions Options(string certificate = "node") => BrokerConfigLoader.Parse($"tls {{ {Block(certificate)} }}").Tls!;

    private X509Certificate2 CreateCa(string subject, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        System.IO.File.WriteAllText(File($"{name}.pem"), ca.ExportCertificatePem());
        return ca;
    }

    private void Issue(X509Certificate2 ca, string name, string host = "localhost", IPAddress? address = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        names.AddIpAddress(address ?? IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        // A node is both: it accepts links and dials them.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(23), RandomNumberGenerator.GetBytes(8));
        System.IO.File.WriteAllText(File($"{name}.pem"), issued.ExportCertificatePem());
        System.IO.File.WriteAllText(File($"{name}-key.pem"), key.ExportPkcs8PrivateKeyPem());
    }
}
