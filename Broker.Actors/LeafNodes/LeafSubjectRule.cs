using System.Text;
using System.Text.Json.Serialization;
using Broker.Configuration;
using Broker.Subjects;

namespace Broker.LeafNodes;

/// <summary>
/// What may cross a leaf link in one direction: the bound user's permissions (a hub's
/// <c>import</c> is the user's subscribe permission, its <c>export</c> the publish permission, as
/// nats-server 2.9's second INFO says) merged with the remote's own deny lists. Null allow: all.
/// Checked per message without a cache: links deliver from many threads at once, and the lists are short.
/// </summary>
internal sealed class LeafSubjectRule
{
    private readonly byte[][]? _allow;
    private readonly byte[][] _deny;

    private LeafSubjectRule(IReadOnlyList<string>? allow, IReadOnlyList<string> deny)
    {
        AllowText = allow;
        DenyText = deny;
        _allow = allow?.Select(Encoding.UTF8.GetBytes).ToArray();
        _deny = [.. deny.Select(Encoding.UTF8.GetBytes)];
    }

    public IReadOnlyList<string>? AllowText { get; }
    public IReadOnlyList<string> DenyText { get; }

    /// <summary>A rule from a permission and extra denies; null when nothing is restricted (nothing to check).</summary>
    public static LeafSubjectRule? From(IReadOnlyList<string>? allow, IReadOnlyList<string>? deny, IEnumerable<string>? moreDeny = null)
    {
        var denies = (deny ?? []).Concat(moreDeny ?? []).Distinct(StringComparer.Ordinal).ToArray();
        return allow is null && denies.Length == 0 ? null : new LeafSubjectRule(allow, denies);
    }

    public static LeafSubjectRule? From(SubjectPermissionOptions? permission, IEnumerable<string>? moreDeny = null) =>
        From(permission?.Allow, permission?.Deny, moreDeny);

    /// <summary>Whether a message on this (literal) subject may cross.</summary>
    public bool Allows(ReadOnlySpan<byte> subject)
    {
        foreach (var pattern in _deny)
        {
            if (SubjectMatcher.Matches(pattern, subject)) return false;
        }
        if (_allow is null) return true;
        foreach (var pattern in _allow)
        {
            if (SubjectMatcher.Matches(pattern, subject)) return true;
        }
        return false;
    }

    /// <summary>
    /// Whether interest in <paramref name="subject"/> (a wildcard too) may be declared across: some
    /// allowed subject overlaps it and no deny entry covers all of it. A wildcard that merely
    /// overlaps a deny entry crosses; what it must not carry is dropped per message.
    /// </summary>
    public bool AdmitsInterest(string subject)
    {
        foreach (var deny in DenyText)
        {
            if (SubjectPatterns.IsSubsetOf(subject, deny)) return false;
        }
        return AllowText is null || AllowText.Any(a => SubjectPatterns.Intersects(a, subject));
    }

    /// <summary>As the second INFO's <c>import</c>/<c>export</c> carry it.</summary>
    public LeafSubjectPermission ToWire() => new() { Allow = AllowText?.ToArray(), Deny = DenyText.Count > 0 ? [.. DenyText] : null };

    /// <summary>Subjects the link's own machinery uses: loop detection and gateway replies are never permission-checked (as nats-server).</summary>
    public static bool IsExempt(ReadOnlySpan<byte> subject) =>
        subject.StartsWith("$LDS."u8) || subject.StartsWith("$GR."u8) || subject.StartsWith("_GR_."u8);
}

/// <summary>The second INFO's <c>import</c> / <c>export</c> object (nats-server's <c>SubjectPermission</c>).</summary>
public sealed class LeafSubjectPermission
{
    [JsonPropertyName("allow")] public string[]? Allow { get; set; }
    [JsonPropertyName("deny")] public string[]? Deny { get; set; }
}
