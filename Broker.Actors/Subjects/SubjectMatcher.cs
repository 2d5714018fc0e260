namespace Broker.Subjects;

/// <summary>Does a literal subject match a subscription pattern? Used to invalidate cache entries.</summary>
public static class SubjectMatcher
{
    public static bool Matches(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> subject)
    {
        while (true)
        {
            var pEnd = pattern.IndexOf((byte)'.');
            var sEnd = subject.IndexOf((byte)'.');
            var pToken = pEnd < 0 ? pattern : pattern[..pEnd];
            var sToken = sEnd < 0 ? subject : subject[..sEnd];

            if (pToken is [(byte)'>']) return true;
            if (!(pToken is [(byte)'*']) && !pToken.SequenceEqual(sToken)) return false;

            if (pEnd < 0 || sEnd < 0) return pEnd < 0 && sEnd < 0;
            pattern = pattern[(pEnd + 1)..];
            subject = subject[(sEnd + 1)..];
        }
    }
}
