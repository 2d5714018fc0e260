namespace Broker.Subjects;

/// <summary>Subject rules as nats-server applies them: dot-separated non-empty tokens, no whitespace.</summary>
public static class SubjectValidator
{
    /// <summary>A valid subscription subject: <c>*</c> as a whole token anywhere, <c>&gt;</c> only as the last token.</summary>
    public static bool IsValidSubscribeSubject(ReadOnlySpan<byte> subject) => Check(subject, allowWildcards: true);

    /// <summary>A valid publish subject: like a subscription subject, but without wildcard tokens.</summary>
    public static bool IsValidPublishSubject(ReadOnlySpan<byte> subject) => Check(subject, allowWildcards: false);

    /// <summary>True when a token of the subject is <c>*</c> or <c>&gt;</c>.</summary>
    public static bool HasWildcard(ReadOnlySpan<byte> subject)
    {
        var tokenStart = 0;
        for (var i = 0; i <= subject.Length; i++)
        {
            if (i < subject.Length && subject[i] != (byte)'.') continue;
            if (i - tokenStart == 1 && subject[tokenStart] is (byte)'*' or (byte)'>') return true;
            tokenStart = i + 1;
        }
        return false;
    }

    private static bool Check(ReadOnlySpan<byte> subject, bool allowWildcards)
    {
        if (subject.IsEmpty) return false;
        var tokenStart = 0;
        for (var i = 0; i <= subject.Length; i++)
        {
            if (i < subject.Length)
            {
                var b = subject[i];
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\f') return false;
                if (b != (byte)'.') continue;
            }

            var length = i - tokenStart;
            if (length == 0) return false;
            if (length == 1)
            {
                var t = subject[tokenStart];
                if (t == (byte)'>' && (!allowWildcards || i != subject.Length)) return false;
                if (t == (byte)'*' && !allowWildcards) return false;
            }
            tokenStart = i + 1;
        }
        return true;
    }
}
