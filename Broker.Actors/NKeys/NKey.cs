using NSec.Cryptography;

namespace Broker.NKeys;

/// <summary>
/// Public NKeys as text ("U..." 56 characters): encoding, decoding with the role and checksum
/// checked, and Ed25519 signature verification against a key given as text.
/// </summary>
public static class NKey
{
    /// <summary>Length of an encoded public key.</summary>
    public const int PublicKeyLength = NKeyEncoding.PublicKeyTextLength;

    /// <summary>Length of an Ed25519 signature.</summary>
    public const int SignatureLength = 64;

    /// <summary>Encodes a raw 32-byte public key with its role.</summary>
    public static string EncodePublicKey(NKeyType type, ReadOnlySpan<byte> rawKey)
    {
        if (!NKeyPrefix.IsPublicRole((byte)type)) throw new ArgumentOutOfRangeException(nameof(type));
        if (rawKey.Length != NKeyEncoding.KeyLength) throw new ArgumentException("nkeys: a key is 32 bytes", nameof(rawKey));
        ReadOnlySpan<byte> prefix = [(byte)type];
        return NKeyEncoding.Encode(prefix, rawKey);
    }

    /// <summary>Decodes a public key of any role into its role and 32 raw bytes.</summary>
    public static bool TryDecodePublicKey(ReadOnlySpan<char> text, out NKeyType type, Span<byte> rawKey)
    {
        type = default;
        if (rawKey.Length < NKeyEncoding.KeyLength) return false;
        Span<byte> raw = stackalloc byte[1 + NKeyEncoding.KeyLength];
        if (!NKeyEncoding.TryDecode(text, raw) || !NKeyPrefix.IsPublicRole(raw[0])) return false;
        type = (NKeyType)raw[0];
        raw[1..].CopyTo(rawKey);
        return true;
    }

    /// <inheritdoc cref="TryDecodePublicKey(ReadOnlySpan{char}, out NKeyType, Span{byte})"/>
    public static bool TryDecodePublicKey(string? text, out NKeyType type, out byte[] rawKey)
    {
        var buffer = new byte[NKeyEncoding.KeyLength];
        if (text is not null && TryDecodePublicKey(text.AsSpan(), out type, buffer))
        {
            rawKey = buffer;
            return true;
        }
        type = default;
        rawKey = [];
        return false;
    }

    /// <summary>True when <paramref name="text"/> is a well-formed public key of any role.</summary>
    public static bool IsValidPublicKey(string? text)
    {
        Span<byte> raw = stackalloc byte[NKeyEncoding.KeyLength];
        return text is not null && TryDecodePublicKey(text.AsSpan(), out _, raw);
    }

    /// <summary>True when <paramref name="text"/> is a well-formed public key of role <paramref name="type"/>.</summary>
    public static bool IsValidPublicKey(string? text, NKeyType type)
    {
        Span<byte> raw = stackalloc byte[NKeyEncoding.KeyLength];
        return text is not null && TryDecodePublicKey(text.AsSpan(), out var actual, raw) && actual == type;
    }

    /// <summary>
    /// True when <paramref name="signature"/> is a valid Ed25519 signature of <paramref name="data"/>
    /// by <paramref name="publicKey"/>. False (never an exception) for a malformed key, a curve key
    /// (which cannot sign) or a signature of the wrong length.
    /// </summary>
    public static bool Verify(string? publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        Span<byte> raw = stackalloc byte[NKeyEncoding.KeyLength];
        if (publicKey is null || !TryDecodePublicKey(publicKey.AsSpan(), out var type, raw)) return false;
        return type != NKeyType.Curve && VerifyRaw(raw, data, signature);
    }

    internal static bool VerifyRaw(ReadOnlySpan<byte> rawKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength) return false;
        var algorithm = SignatureAlgorithm.Ed25519;
        return PublicKey.TryImport(algorithm, rawKey, KeyBlobFormat.RawPublicKey, out var key)
            && key is not null
            && algorithm.Verify(key, data, signature);
    }
}
