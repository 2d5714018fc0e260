using System.Buffers;
using System.Buffers.Text;

namespace Broker.NKeys;

/// <summary>
/// The <c>sig</c> of a client's CONNECT: the Ed25519 signature of the INFO <c>nonce</c> text.
/// Clients send it as unpadded base64url (nats.go, nats.js) or as standard base64 (some older
/// clients); nats-server tries the first and falls back to the second, and so do we.
/// </summary>
public static class NonceSignature
{
    /// <summary>Decodes a signature sent in either base64 form into 64 bytes of <paramref name="signature"/>.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> signature)
    {
        if (signature.Length < NKey.SignatureLength || text.IsEmpty) return false;
        Span<byte> buffer = stackalloc byte[NKey.SignatureLength + 3];
        // The OperationStatus overload, because the Try overload throws on characters outside the alphabet.
        if (Base64Url.DecodeFromChars(text, buffer, out _, out var written) == OperationStatus.Done && written == NKey.SignatureLength)
        {
            buffer[..written].CopyTo(signature);
            return true;
        }
        if (Convert.TryFromBase64Chars(text, buffer, out written) && written == NKey.SignatureLength)
        {
            buffer[..written].CopyTo(signature);
            return true;
        }
        return false;
    }

    /// <summary>
    /// True when <paramref name="signature"/> (base64url or base64 text) signs the bytes of
    /// <paramref name="nonce"/> with <paramref name="publicKey"/>. Missing or malformed input is false.
    /// </summary>
    public static bool Verify(string? publicKey, ReadOnlySpan<byte> nonce, string? signature)
    {
        Span<byte> raw = stackalloc byte[NKey.SignatureLength];
        return signature is not null && TryDecode(signature, raw) && NKey.Verify(publicKey, nonce, raw);
    }
}
