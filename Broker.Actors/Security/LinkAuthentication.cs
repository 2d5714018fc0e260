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
        if (required.Users.Count > 0) return required.Users.Any(u => Same(u.User, presented.User) && PasswordMatches(u.Password ?? "", presented.Password ?? ""));
        if (required.Token is { } token) return presented.Password is null && Same(token, presented.User);
        return Same(required.User ?? "", presented.User) && PasswordMatches(required.Password ?? "", presented.Password ?? "");
    }

    /// <summary>
    /// The bcrypt salt (<c>$2a$NN$</c> and 22 characters) of <paramref name="required"/>'s password or
    /// token when it is a bcrypt hash, else empty. A verifier sends it with its challenge, so a prover
    /// holding the secret in clear can hash it the same way: both then key their HMACs by the hash.
    /// </summary>
    public static string SaltOf(LinkAuthorization? required) =>
        (required?.Token ?? required?.Password) is { } secret && BcryptHash.IsValid(secret) ? secret[..29] : "";

    /// <summary>The key a verifier checks proofs and seals with: its own credentials, as configured (a bcrypt hash stays one).</summary>
    public static byte[] VerifierKey(LinkAuthorization? required) =>
        required is null ? Key(null, "") : Key(required.Credentials, SaltOf(required));

    /// <summary>
    /// The key of <paramref name="credentials"/> under a verifier's <paramref name="salt"/>: with a salt, the
    /// secret is bcrypt-hashed with it first (unless it is already that very hash, as a node whose own
    /// <c>authorization</c> holds the hash presents it).
    /// </summary>
    public static byte[] Key(LinkCredentials? credentials, string salt)
    {
        if (credentials is null) return SHA256.HashData(""u8);
        var secret = credentials.Password ?? credentials.User;
        if (salt.Length > 0 && !secret.StartsWith(salt, StringComparison.Ordinal)) secret = BCrypt.Net.BCrypt.HashPassword(secret, salt);
        var kind = salt.Length > 0 ? "bcrypt-" : "";
        var text = credentials.Password is null ? $"{kind}token\n{secret}" : $"{kind}user\n{credentials.User}\n{secret}";
        return SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// The answer to <paramref name="nonce"/> from <paramref name="prover"/> to <paramref name="verifier"/>
    /// (both named, so an answer cannot be relayed between other pairs of nodes), keyed by the credentials.
    /// </summary>
    public static byte[] Prove(byte[] key, byte[] nonce, string prover, string verifier) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"broker-cluster-admission\n{prover}\n{verifier}\n{Convert.ToBase64String(nonce)}"));

    /// <summary>
    /// What every message from <paramref name="sender"/> to <paramref name="receiver"/> that a node
    /// acts on carries: remoting does not authenticate who sent a message, so without TLS anyone
    /// could send one in an admitted member's name; a seal needs the cluster's credentials.
    /// </summary>
    public static byte[] Seal(byte[] key, string sender, string receiver) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"broker-cluster-seal\n{sender}\n{receiver}"));

    /// <summary>Whether <paramref name="proof"/> answers <paramref name="nonce"/> with the credentials <paramref name="required"/> names.</summary>
    public static bool Verifies(LinkAuthorization? required, byte[] proof, byte[] nonce, string prover, string verifier) =>
        required is null || CryptographicOperations.FixedTimeEquals(Prove(VerifierKey(required), nonce, prover, verifier), proof);

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
