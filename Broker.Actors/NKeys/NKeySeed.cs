namespace Broker.NKeys;

/// <summary>
/// Seeds as text ("SU..." 58 characters): the 32 bytes of secret key material with a two-byte
/// prefix that packs the seed marker 'S' and the role, so the first two characters say both.
/// </summary>
public static class NKeySeed
{
    /// <summary>Length of an encoded seed.</summary>
    public const int Length = NKeyEncoding.SeedTextLength;

    /// <summary>Encodes 32 bytes of seed for a key of role <paramref name="type"/>.</summary>
    public static string Encode(NKeyType type, ReadOnlySpan<byte> seed)
    {
        if (!NKeyPrefix.IsPublicRole((byte)type)) throw new ArgumentOutOfRangeException(nameof(type));
        if (seed.Length != NKeyEncoding.KeyLength) throw new ArgumentException("nkeys: invalid seed length", nameof(seed));
        // Five bits per base32 character: the seed marker fills the first character and the
        // role's five high bits the second, hence the shifts.
        var role = (byte)type;
        ReadOnlySpan<byte> prefix = [(byte)(NKeyPrefix.Seed | (role >> 5)), (byte)((role & 31) << 3)];
        return NKeyEncoding.Encode(prefix, seed);
    }

    /// <summary>
    /// Decodes a seed into its role and 32 bytes of key material. False for anything that is not
    /// a seed of a known role with a valid checksum (a public key, a private key, a typo).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out NKeyType type, Span<byte> seed)
    {
        type = default;
        if (seed.Length < NKeyEncoding.KeyLength) return false;
        Span<byte> raw = stackalloc byte[2 + NKeyEncoding.KeyLength];
        try
        {
            if (!NKeyEncoding.TryDecode(text, raw)) return false;
            var marker = (byte)(raw[0] & 0b1111_1000);
            var role = (byte)(((raw[0] & 0b0000_0111) << 5) | ((raw[1] & 0b1111_1000) >> 3));
            // The low three bits of the second byte are not part of the prefix: a valid encoder
            // leaves them zero, so anything else is not a seed we made or nkeys would make.
            if (marker != NKeyPrefix.Seed || (raw[1] & 0b0000_0111) != 0 || !NKeyPrefix.IsPublicRole(role)) return false;
            type = (NKeyType)role;
            raw[2..].CopyTo(seed);
            return true;
        }
        finally
        {
            raw.Clear();
        }
    }

    /// <summary>True when <paramref name="text"/> is a well-formed seed.</summary>
    public static bool IsValid(string? text)
    {
        Span<byte> seed = stackalloc byte[NKeyEncoding.KeyLength];
        var valid = text is not null && TryDecode(text.AsSpan(), out _, seed);
        seed.Clear();
        return valid;
    }
}
