using System.Text;

namespace Broker.Links;

/// <summary>
/// The account name that starts every batch of messages between nodes and regions: its UTF-8
/// length as <see cref="BinaryWriter.Write(string)"/> writes it (7 bits a byte), then the bytes.
/// </summary>
internal static class AccountPrefix
{
    public static byte[] For(string account)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true)) writer.Write(account);
        return stream.ToArray();
    }

    /// <summary>The account name at the start of <paramref name="bytes"/>, and how many bytes it took.</summary>
    public static string Read(ReadOnlySpan<byte> bytes, out int length)
    {
        var value = 0;
        var shift = 0;
        var i = 0;
        while (true)
        {
            var b = bytes[i++];
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) break;
            shift += 7;
            if (shift > 28) throw new InvalidDataException("bad account name length");
        }
        length = i + value;
        return Encoding.UTF8.GetString(bytes.Slice(i, value));
    }
}
