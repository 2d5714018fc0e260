using System.Text;

namespace Broker.Links;

/// <summary>
/// A short tag for a region name or node id, the same on every node and in every process: links
/// name where a reply must go back to by these (gateway replies are <c>_GR_.REGION.NODE.reply</c>).
/// </summary>
public static class NameTag
{
    public const int Length = 6;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Of(string name)
    {
        // FNV-1a: stable across processes and machines, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        var tag = new char[Length];
        for (var i = 0; i < tag.Length; i++)
        {
            tag[i] = Alphabet[(int)(hash % (ulong)Alphabet.Length)];
            hash /= (ulong)Alphabet.Length;
        }
        return new string(tag);
    }
}
