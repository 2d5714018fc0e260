namespace Broker.NKeys;

/// <summary>
/// RFC 4648 base32 with the standard upper-case alphabet and no padding, as NKeys use it.
/// Decoding is strict: only 'A'-'Z' and '2'-'7', no padding, no whitespace, and the unused bits
/// of the last character must be zero, so every key has exactly one spelling.
/// </summary>
internal static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static int EncodedLength(int byteCount) => (byteCount * 8 + 4) / 5;

    public static int DecodedLength(int charCount) => charCount * 5 / 8;

    public static void Encode(ReadOnlySpan<byte> source, Span<char> destination)
    {
        var buffer = 0;
        var bits = 0;
        var written = 0;
        foreach (var b in source)
        {
            buffer = ((buffer << 8) | b) & 0xFFF;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                destination[written++] = Alphabet[(buffer >> bits) & 31];
            }
        }
        if (bits > 0) destination[written] = Alphabet[(buffer << (5 - bits)) & 31];
    }

    public static string Encode(ReadOnlySpan<byte> source)
    {
        Span<char> chars = stackalloc char[EncodedLength(source.Length)];
        Encode(source, chars);
        return new string(chars);
    }

    /// <summary>Decodes into <paramref name="destination"/>, which must hold <see cref="DecodedLength"/> bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<char> source, Span<byte> destination)
    {
        // A length whose leftover bits make a whole byte (or more) cannot come from an encoder.
        var leftover = source.Length * 5 % 8;
        if (leftover >= 5 || destination.Length < DecodedLength(source.Length)) return false;
        var buffer = 0;
        var bits = 0;
        var written = 0;
        foreach (var c in source)
        {
            int value;
            if (c is >= 'A' and <= 'Z') value = c - 'A';
            else if (c is >= '2' and <= '7') value = c - '2' + 26;
            else return false;
            buffer = ((buffer << 5) | value) & 0xFFF;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                destination[written++] = (byte)(buffer >> bits);
            }
        }
        return (buffer & ((1 << bits) - 1)) == 0;
    }
}
