namespace Broker.Subjects;

/// <summary>Relations between two subject patterns (with <c>*</c> and <c>&gt;</c>), token by token.</summary>
public static class SubjectPatterns
{
    /// <summary>Whether every subject <paramref name="inner"/> matches is also matched by <paramref name="outer"/>.</summary>
    public static bool IsSubsetOf(string inner, string outer)
    {
        var a = inner.Split('.');
        var b = outer.Split('.');
        for (var i = 0; i < b.Length; i++)
        {
            if (b[i] == ">") return i < a.Length;
            if (i >= a.Length) return false;
            if (a[i] == ">") return false;
            if (b[i] == "*") continue;
            if (a[i] == "*" || a[i] != b[i]) return false;
        }
        return a.Length == b.Length;
    }

    /// <summary>Whether some subject is matched by both patterns.</summary>
    public static bool Intersects(string first, string second)
    {
        var a = first.Split('.');
        var b = second.Split('.');
        for (var i = 0; ; i++)
        {
            if (i < a.Length && a[i] == ">") return i < b.Length || b.Length == i;
            if (i < b.Length && b[i] == ">") return i < a.Length || a.Length == i;
            if (i == a.Length || i == b.Length) return a.Length == b.Length;
            if (a[i] != "*" && b[i] != "*" && a[i] != b[i]) return false;
        }
    }
}
