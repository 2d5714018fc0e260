using System.Security.Cryptography.X509Certificates;

namespace Broker.Security;

/// <summary>
/// The names a client certificate can map to a user by (verify_and_map): its subject in RFC 2253
/// form (<c>CN=alice,O=Acme</c>, as nats-server prints it), its e-mail address, and its DNS names.
/// </summary>
public static class CertificateIdentities
{
    public static IEnumerable<string> Of(X509Certificate2 certificate)
    {
        yield return certificate.SubjectName.Decode(X500DistinguishedNameFlags.UseCommas | X500DistinguishedNameFlags.Reversed).Replace(", ", ",");
        if (certificate.GetNameInfo(X509NameType.EmailName, forIssuer: false) is { Length: > 0 } email) yield return email;
        foreach (var extension in certificate.Extensions)
        {
            if (extension is not X509SubjectAlternativeNameExtension names) continue;
            foreach (var dns in names.EnumerateDnsNames()) yield return dns;
        }
    }
}
