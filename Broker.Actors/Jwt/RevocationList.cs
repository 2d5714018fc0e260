namespace Broker.Jwt;

/// <summary>
/// Public key (or "*" for every key) to a unix time: JWTs for that key issued at or before that
/// time are revoked. Used for users in an account and for activations in an export.
/// </summary>
public sealed class RevocationList : Dictionary<string, long>
{
    /// <summary>The key that revokes every subject.</summary>
    public const string All = "*";

    public RevocationList() : base(StringComparer.Ordinal) { }

    /// <summary>True when a JWT for <paramref name="publicKey"/> issued at <paramref name="issuedAt"/> is revoked.</summary>
    public bool IsRevoked(string publicKey, long issuedAt) =>
        (TryGetValue(All, out var all) && all >= issuedAt)
        || (TryGetValue(publicKey, out var at) && at >= issuedAt);

    /// <summary>Revokes JWTs for <paramref name="publicKey"/> issued at or before <paramref name="at"/>; a later revocation already there is kept.</summary>
    public void Revoke(string publicKey, DateTimeOffset at)
    {
        var seconds = at.ToUnixTimeSeconds();
        if (!TryGetValue(publicKey, out var existing) || existing < seconds) this[publicKey] = seconds;
    }
}
