using System.Text;

namespace Broker.Subjects;

/// <summary>
/// Rewrites a subject matched by one pattern into another: a stream import's <c>prefix</c> or
/// <c>to</c>, a service import's local subject. In <c>to</c>, wildcard tokens take, in order, the
/// tokens the source pattern's wildcards matched (<c>*</c> one, <c>&gt;</c> the rest), and <c>$N</c>
/// takes the N-th wildcard's token, as nats-server's mappings do.
/// </summary>
public sealed class SubjectMapping
{
    private readonly byte[]? _prefix;
    private readonly byte[]? _literal;
    private readonly string[] _toTokens;
    private readonly bool _identity;

    private SubjectMapping(byte[]? prefix, string[] toTokens, bool identity)
    {
        _prefix = prefix;
        _toTokens = toTokens;
        _identity = identity;
        if (toTokens.Length > 0 && !toTokens.Any(t => t is "*" or ">" || t.StartsWith('$')))
            _literal = Encoding.ASCII.GetBytes(string.Join('.', toTokens));
    }

    /// <summary>The longest subject <see cref="Apply"/> can produce from <paramref name="subjectLength"/> bytes, when no wildcard remapping is involved.</summary>
    public int MaxLength(int subjectLength) =>
        _identity ? subjectLength : _prefix is not null ? _prefix.Length + subjectLength : _literal?.Length ?? -1;

    /// <summary>Subjects up to this long are remapped on the stack, with no allocation per message.</summary>
    public const int StackLimit = 512;

    /// <summary>
    /// The mapped subject: written into <paramref name="scratch"/> when the mapping needs no
    /// wildcard and it fits (size it with <see cref="MaxLength"/>), else a new array from <see cref="Apply"/>.
    /// </summary>
    public ReadOnlySpan<byte> Map(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> subject, Span<byte> scratch)
    {
        var length = MaxLength(subject.Length);
        return length >= 0 && length <= scratch.Length ? scratch[..TryApply(subject, scratch)] : Apply(pattern, subject);
    }

    /// <summary>
    /// Maps into <paramref name="destination"/> without allocating (identity, prefix or a literal
    /// <c>to</c>); returns the length, or -1 when the mapping needs <see cref="Apply"/>.
    /// </summary>
    public int TryApply(ReadOnlySpan<byte> subject, Span<byte> destination)
    {
        if (_identity)
        {
            subject.CopyTo(destination);
            return subject.Length;
        }
        if (_prefix is not null)
        {
            _prefix.CopyTo(destination);
            subject.CopyTo(destination[_prefix.Length..]);
            return _prefix.Length + subject.Length;
        }
        if (_literal is null) return -1;
        _literal.CopyTo(destination);
        return _literal.Length;
    }

    public static SubjectMapping Identity { get; } = new(null, [], identity: true);

    public static SubjectMapping Prefix(string prefix) => new(Encoding.ASCII.GetBytes(prefix + "."), [], identity: false);

    public static SubjectMapping To(string to) => new(null, to.Split('.'), identity: false);

    /// <summary>Whether <paramref name="to"/> uses no more wildcards than <paramref name="from"/> provides.</summary>
    public static bool IsCompatible(string from, string to)
    {
        var fromTokens = from.Split('.');
        var stars = fromTokens.Count(t => t == "*");
        var tail = fromTokens[^1] == ">";
        var wildcards = stars + (tail ? 1 : 0);
        var toTokens = to.Split('.');
        if (toTokens.Count(t => t == "*") > stars) return false;
        if (toTokens.Contains(">") && (!tail || toTokens[^1] != ">")) return false;
        return toTokens.Where(t => t.StartsWith('$')).All(t => int.TryParse(t[1..], out var n) && n >= 1 && n <= wildcards);
    }

    /// <summary>Maps <paramref name="subject"/>, which <paramref name="pattern"/> matched, into a new subject.</summary>
    public byte[] Apply(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> subject)
    {
        if (_identity) return subject.ToArray();
        if (_prefix is not null)
        {
            var mapped = new byte[_prefix.Length + subject.Length];
            _prefix.CopyTo(mapped, 0);
            subject.CopyTo(mapped.AsSpan(_prefix.Length));
            return mapped;
        }
        var captured = Capture(Encoding.ASCII.GetString(pattern), Encoding.ASCII.GetString(subject));
        var nextStar = 0;
        var output = new StringBuilder();
        foreach (var token in _toTokens)
        {
            if (output.Length > 0) output.Append('.');
            if (token == "*") output.Append(captured.Stars[Math.Min(nextStar++, captured.Stars.Count - 1)]);
            else if (token == ">") output.Append(captured.Tail);
            else if (token.StartsWith('$') && int.TryParse(token[1..], out var n)) output.Append(captured.Numbered[n - 1]);
            else output.Append(token);
        }
        return Encoding.ASCII.GetBytes(output.ToString());
    }

    private static (List<string> Stars, string Tail, List<string> Numbered) Capture(string pattern, string subject)
    {
        var patternTokens = pattern.Split('.');
        var subjectTokens = subject.Split('.');
        var stars = new List<string>();
        var numbered = new List<string>();
        var rest = "";
        for (var i = 0; i < patternTokens.Length && i < subjectTokens.Length; i++)
        {
            if (patternTokens[i] == "*")
            {
                stars.Add(subjectTokens[i]);
                numbered.Add(subjectTokens[i]);
            }
            else if (patternTokens[i] == ">")
            {
                rest = string.Join('.', subjectTokens[i..]);
                numbered.Add(rest);
                break;
            }
        }
        return (stars, rest, numbered);
    }
}
