using System.Security.Cryptography;
using System.Text;
using Broker.Configuration;

namespace Broker.Security;

/// <summary>
/// Checks what a peer on a cluster or gateway link presents against the link's
/// <see cref="LinkAuthorization"/>. Gateways send their credentials (in clear unless TLS, as
/// nats-server's CONNECT); cluster nodes answer a challenge with an HMAC of it instead, so a
/// stranger that asks learns nothing it could replay.
/// </summary>
public static class LinkAuthentication
{
    /// <summary>A fresh challenge: random, never reused.</summary>
    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(32);

    /// <summary>Whether <paramref name="presented"/> meets <paramref name="required"/>; anything does when nothing is required.</summary>
    public static bool Admits(LinkAuthorization? required, LinkCredentials? presented)
    {
        if (required is null) return true;
        if (presented is null) return false;
        if (required.Token is { } token) return presented.Password is null && Same(token, presented.User);
        return Same(required.User ?? "", presented.User) && PasswordMatches(required.Password ?? "", presented.Password ?? "");
    }

    /// <summary>
    /// The answer to <paramref name="nonce"/> from <paramref name="prover"/> to <paramref name="verifier"/>
    /// (both named, so an answer cannot be relayed between other pairs of nodes), keyed by the credentials.
    /// </summary>
    public static byte[] Prove(LinkCredentials? credentials, byte[] nonce, string prover, string verifier)
    {
        var key = SHA256.HashData(Encoding.UTF8.GetBytes(credentials is null ? "" : credentials.Password is null ? $"token\n{credentials.User}" : $"user\n{credentials.User}\n{credentials.Password}"));
        var data = Encoding.UTF8.GetBytes($"broker-cluster-admission\n{prover}\n{verifier}\n{Convert.ToBase64String(nonce)}");
        return HMACSHA256.HashData(key, data);
    }

    /// <summary>Whether <paramref name="proof"/> answers <paramref name="nonce"/> with the credentials <paramref name="required"/> names.</summary>
    public static bool Verifies(LinkAuthorization? required, byte[] proof, byte[] nonce, string prover, string verifier) =>
        required is null || CryptographicOperations.FixedTimeEquals(Prove(required.Credentials, nonce, prover, verifier), proof);

    private static bool PasswordMatches(string configured, string given)
    {
        if (!BcryptHash.LooksLikeOne(configured)) return Same(configured, given);
        try
        {
            return BCrypt.Net.BCrypt.Verify(given, configured);
        }
        catch (Exception e) when (e is BCrypt.Net.SaltParseException or ArgumentException)
        {
            return false;
        }
    }

    private static bool Same(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
