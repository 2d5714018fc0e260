using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Configuration.Hocon;

namespace Broker.Configuration;

/// <summary><c>tls { cert_file, key_file, ca_file, verify, verify_and_map, timeout }</c>, with the files read and checked at load.</summary>
public static partial class BrokerConfigLoader
{
    private static BrokerOptions ApplyTls(BrokerOptions options, string key, HoconValue value, ValueReader reader, string baseDirectory) =>
        options with { Tls = ReadTls(key, value, reader, baseDirectory) };

    /// <summary>A <c>tls</c> block anywhere (clients, <c>cluster</c>, <c>gateway</c>, a <c>gateways</c> entry).</summary>
    /// <param name="link">A route or gateway block: links authenticate by their authorization, not by a mapped certificate.</param>
    private static TlsOptions ReadTls(string key, HoconValue value, ValueReader reader, string baseDirectory, bool link = false)
    {
        string? certFile = null, keyFile = null, caFile = null;
        bool verify = false, map = false, insecure = false;
        var timeout = TimeSpan.FromSeconds(2);
        foreach (var (inner, item) in reader.Block(key, value).Items)
        {
            var at = $"{key}.{inner}";
            switch (inner.ToLowerInvariant())
            {
                case "cert_file":
                    certFile = Path.Combine(baseDirectory, reader.Text(at, item));
                    break;
                case "key_file":
                    keyFile = Path.Combine(baseDirectory, reader.Text(at, item));
                    break;
                case "ca_file":
                    caFile = Path.Combine(baseDirectory, reader.Text(at, item));
                    break;
                case "verify":
                    verify = reader.Boolean(at, item);
                    break;
                case "verify_and_map":
                    map = reader.Boolean(at, item);
                    if (map && link) throw reader.Error(at, "not supported yet (a nats-server option this broker does not implement: links authenticate with their authorization's password or token)");
                    break;
                case "timeout":
                    timeout = reader.Duration(at, item);
                    break;
                case "insecure":
                    insecure = reader.Boolean(at, item);
                    break;
                case "cipher_suites":
                case "curve_preferences":
                case "pinned_certs":
                case "verify_cert_and_check_known_urls":
                case "cert_store":
                case "cert_match":
                case "cert_match_by":
                case "ocsp_peer":
                case "handshake_first":
                    throw reader.Error(at, "not supported yet (a nats-server option this broker does not implement)");
                default:
                    throw reader.Error(at, "unknown tls option");
            }
        }
        if (certFile is null || keyFile is null) throw reader.Error(key, "tls needs \"cert_file\" and \"key_file\"");
        var certificate = LoadCertificate(key, certFile, keyFile, reader);
        var authorities = caFile is null ? null : LoadAuthorities(key, caFile, reader);
        return new TlsOptions(certificate) { Authorities = authorities, Verify = verify || map, VerifyAndMap = map, Insecure = insecure, Timeout = timeout };
    }

    /// <summary>A PEM certificate with its key, as a <c>tls</c> or <c>resolver_tls</c> block names them; a load error names the block.</summary>
    internal static X509Certificate2 LoadCertificate(string key, string certFile, string keyFile, ValueReader reader)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            // Re-imported so the private key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw reader.Error(key, $"cannot load the certificate \"{certFile}\" with key \"{keyFile}\": {e.Message}");
        }
    }

    /// <summary>The certificates of a PEM <c>ca_file</c>, at least one.</summary>
    internal static X509Certificate2Collection LoadAuthorities(string key, string caFile, ValueReader reader)
    {
        X509Certificate2Collection authorities = [];
        try
        {
            authorities.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw reader.Error(key, $"cannot load the CA file \"{caFile}\": {e.Message}");
        }
        if (authorities.Count == 0) throw reader.Error(key, $"the CA file \"{caFile}\" holds no certificate");
        return authorities;
    }
}
