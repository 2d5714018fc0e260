using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Broker.NKeys;

namespace Broker.Jwt;

/// <summary>
/// Signs claims into a version 2 NATS JWT, as Go's <c>Claims.Encode</c> does. The claims object is
/// completed in place: <c>iss</c> (the signer), <c>iat</c>, <c>jti</c>, <c>nats.type</c> and
/// <c>nats.version</c>.
/// </summary>
public static class JwtEncoder
{
    // base64url of {"typ":"JWT","alg":"ed25519-nkey"}, the header every current NATS tool writes.
    private static readonly string Header = Base64Url.EncodeToString("""{"typ":"JWT","alg":"ed25519-nkey"}"""u8);

    /// <summary>
    /// The signed JWT. <see cref="ArgumentException"/> when the subject is missing or of the wrong
    /// role for the kind of claims, or when <paramref name="signer"/>'s role may not sign them.
    /// </summary>
    public static string Encode(JwtClaims claims, NKeyPair signer, DateTimeOffset? issuedAt = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(signer);
        if (string.IsNullOrEmpty(claims.Subject)) throw new ArgumentException("subject is not set", nameof(claims));
        if (claims.SubjectType is { } subjectType && !NKey.IsValidPublicKey(claims.Subject, subjectType))
            throw new ArgumentException($"expected subject to be {subjectType.ToString().ToLowerInvariant()} public key", nameof(claims));
        if (!claims.IssuerTypes.IsEmpty && !claims.IssuerTypes.Contains(signer.Type))
            throw new ArgumentException($"a {signer.Type.ToString().ToLowerInvariant()} key cannot sign {claims.ClaimType} claims", nameof(signer));

        claims.Issuer = signer.PublicKey;
        claims.IssuedAt = (issuedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        claims.LegacyType = null;
        claims.Payload.Type = claims is GenericClaims generic ? generic.Nats.Type ?? ClaimTypes.Generic : claims.ClaimType;
        claims.Payload.Version = 2;
        claims.Id = null;
        // A content hash as the id, so the same claims give the same jti (Go hashes with
        // SHA-512/256, which .NET lacks; any stable hash serves, nothing checks it).
        claims.Id = Base32.Encode(SHA256.HashData(claims.ToUtf8Json()));

        var signed = Header + "." + Base64Url.EncodeToString(claims.ToUtf8Json());
        var signature = signer.Sign(Encoding.ASCII.GetBytes(signed));
        return signed + "." + Base64Url.EncodeToString(signature);
    }
}
