using System.Buffers.Binary;

namespace Broker.NKeys;

/// <summary>
/// The text form shared by every NKey: prefix byte(s), the key material, a CRC-16 of both
/// (little-endian), all in base32. Public keys have one prefix byte (35 bytes, 56 characters);
/// seeds have two (36 bytes, 58 characters).
/// </summary>
internal static class NKeyEncoding
{
    public const int KeyLength = 32;
    public const int PublicKeyTextLength = 56;
    public const int SeedTextLength = 58;

    public static string Encode(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> key)
    {
        Span<byte> raw = stackalloc byte[prefix.Length + key.Length + 2];
        prefix.CopyTo(raw);
        key.CopyTo(raw[prefix.Length..]);
        var body = raw[..^2];
        BinaryPrimitives.WriteUInt16LittleEndian(raw[^2..], Crc16.Compute(body));
        var text = Base32.Encode(raw);
        raw.Clear(); // seeds pass through here
        return text;
    }

    /// <summary>
    /// Decodes <paramref name="text"/> into <paramref name="raw"/> (prefix and key, checksum
    /// dropped) when it is well-formed base32 of exactly <c>raw.Length + 2</c> bytes with a
    /// matching checksum.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> raw)
    {
        if (Base32.DecodedLength(text.Length) != raw.Length + 2 ||
            Base32.EncodedLength(raw.Length + 2) != text.Length) return false;
        Span<byte> all = stackalloc byte[raw.Length + 2];
        try
        {
            if (!Base32.TryDecode(text, all)) return false;
            var body = all[..^2];
            if (BinaryPrimitives.ReadUInt16LittleEndian(all[^2..]) != Crc16.Compute(body)) return false;
            body.CopyTo(raw);
            return true;
        }
        finally
        {
            all.Clear();
        }
    }
}
