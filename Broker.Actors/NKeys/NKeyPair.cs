using System.Security.Cryptography;
using NSec.Cryptography;

namespace Broker.NKeys;

/// <summary>
/// A key pair made from a seed: Ed25519 for every role but <see cref="NKeyType.Curve"/>, which is
/// X25519 and cannot sign. Holds the secret seed, so dispose it when done (the seed bytes are
/// zeroed); <see cref="ToString"/> shows only the public key, so logging a pair leaks nothing.
/// </summary>
public sealed class NKeyPair : IDisposable
{
    private readonly byte[] _seed;
    private readonly Key? _signingKey;
    private readonly byte[] _rawPublicKey;
    private bool _disposed;

    private NKeyPair(NKeyType type, byte[] seed)
    {
        Type = type;
        _seed = seed;
        if (type == NKeyType.Curve)
        {
            using var agreement = Key.Import(KeyAgreementAlgorithm.X25519, seed, KeyBlobFormat.RawPrivateKey);
            _rawPublicKey = agreement.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        }
        else
        {
            _signingKey = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
            _rawPublicKey = _signingKey.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        }
        PublicKey = NKey.EncodePublicKey(type, _rawPublicKey);
    }

    /// <summary>The role of this key.</summary>
    public NKeyType Type { get; }

    /// <summary>The encoded public key ("U...", "A...", ...).</summary>
    public string PublicKey { get; }

    /// <summary>The encoded seed ("SU...", ...): the secret. Built on each call and never cached.</summary>
    public string Seed
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return NKeySeed.Encode(Type, _seed);
        }
    }

    /// <summary>The 32 raw bytes of the public key.</summary>
    public ReadOnlySpan<byte> RawPublicKey => _rawPublicKey;

    /// <summary>A new key pair of role <paramref name="type"/> from 32 random bytes.</summary>
    public static NKeyPair Create(NKeyType type)
    {
        if (!NKeyPrefix.IsPublicRole((byte)type)) throw new ArgumentOutOfRangeException(nameof(type));
        var seed = new byte[32];
        RandomNumberGenerator.Fill(seed);
        return new NKeyPair(type, seed);
    }

    /// <summary>The key pair of an encoded seed; <see cref="FormatException"/> when it is not one.</summary>
    public static NKeyPair FromSeed(string seed) =>
        TryFromSeed(seed, out var pair) ? pair : throw new FormatException("nkeys: invalid seed");

    /// <summary>The key pair of an encoded seed, or false when it is not a valid seed.</summary>
    public static bool TryFromSeed(ReadOnlySpan<char> seed, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NKeyPair? pair)
    {
        var raw = new byte[32];
        if (!NKeySeed.TryDecode(seed, out var type, raw))
        {
            pair = null;
            return false;
        }
        pair = new NKeyPair(type, raw);
        return true;
    }

    /// <summary>The Ed25519 signature (64 bytes) of <paramref name="data"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signature = new byte[NKey.SignatureLength];
        Sign(data, signature);
        return signature;
    }

    /// <summary>Writes the Ed25519 signature of <paramref name="data"/> into 64 bytes of <paramref name="signature"/>.</summary>
    public void Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_signingKey is null) throw new InvalidOperationException("nkeys: curve key is not valid for sign/verify");
        SignatureAlgorithm.Ed25519.Sign(_signingKey, data, signature[..NKey.SignatureLength]);
    }

    /// <summary>True when <paramref name="signature"/> is this key's signature of <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        Type != NKeyType.Curve && NKey.VerifyRaw(_rawPublicKey, data, signature);

    public override string ToString() => PublicKey;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _signingKey?.Dispose();
        CryptographicOperations.ZeroMemory(_seed);
    }
}
