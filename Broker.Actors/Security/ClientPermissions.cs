using System.Text;
using Broker.Configuration;
using Broker.Subjects;

namespace Broker.Security;

/// <summary>
/// One connection's compiled permissions. Publish checks are cached by subject (the read loop is
/// the only caller, so the cache needs no lock), as nats-server caches them per client.
/// </summary>
public sealed class ClientPermissions
{
    private const int PublishCacheLimit = 128;

    private readonly byte[][]? _publishAllow;
    private readonly byte[][]? _publishDeny;
    private readonly SubscribeRule[]? _subscribeAllow;
    private readonly SubscribeRule[]? _subscribeDeny;
    private readonly Dictionary<byte[], bool> _publishCache = new(ByteSequenceComparer.Instance);

    private ClientPermissions(PermissionsOptions options)
    {
        _publishAllow = Patterns(options.Publish?.Allow);
        _publishDeny = Patterns(options.Publish?.Deny);
        _subscribeAllow = options.Subscribe?.Allow?.Select(SubscribeRule.Parse).ToArray();
        _subscribeDeny = options.Subscribe?.Deny?.Select(SubscribeRule.Parse).ToArray();
        AllowResponses = options.AllowResponses;
    }

    /// <summary>Null when the user has no permissions block: everything is allowed and nothing is checked.</summary>
    public static ClientPermissions? From(PermissionsOptions? options) => options is null ? null : new ClientPermissions(options);

    public ResponsePermissionOptions? AllowResponses { get; }

    /// <summary>Whether deliveries to this client's wildcard subscriptions must be filtered against the subscribe deny list.</summary>
    public bool FiltersDeliveries => _subscribeDeny is not null;

    public bool RestrictsPublish => _publishAllow is not null || _publishDeny is not null;

    public bool CanPublish(ReadOnlySpan<byte> subject)
    {
        if (!RestrictsPublish) return true;
        var lookup = _publishCache.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(subject, out var cached)) return cached;
        var allowed = (_publishAllow is null || AnyMatches(_publishAllow, subject)) && (_publishDeny is null || !AnyMatches(_publishDeny, subject));
        if (_publishCache.Count >= PublishCacheLimit) _publishCache.Clear();
        lookup[subject] = allowed;
        return allowed;
    }

    /// <summary>
    /// A subscription is allowed when an allow entry covers all of its subject (and names its queue,
    /// if the entry names one) and no deny entry covers all of it. A wildcard that merely overlaps a
    /// deny entry is allowed; the denied subjects are filtered at delivery (<see cref="DeniesDelivery"/>).
    /// </summary>
    public bool CanSubscribe(string subject, string? queue) =>
        (_subscribeAllow is null || _subscribeAllow.Any(r => r.Covers(subject, queue)))
        && (_subscribeDeny is null || !_subscribeDeny.Any(r => r.Covers(subject, queue)));

    /// <summary>Whether a message on this literal subject is denied to the client's subscriptions.</summary>
    public bool DeniesDelivery(ReadOnlySpan<byte> subject, string? queue)
    {
        foreach (var rule in _subscribeDeny!)
        {
            if ((rule.Queue is null || rule.Queue == queue) && SubjectMatcher.Matches(rule.PatternBytes, subject)) return true;
        }
        return false;
    }

    private static bool AnyMatches(byte[][] patterns, ReadOnlySpan<byte> subject)
    {
        foreach (var pattern in patterns)
        {
            if (SubjectMatcher.Matches(pattern, subject)) return true;
        }
        return false;
    }

    private static byte[][]? Patterns(IReadOnlyList<string>? subjects) => subjects?.Select(Encoding.ASCII.GetBytes).ToArray();

    /// <summary>A subscribe permission entry: a subject pattern, optionally limited to one queue group.</summary>
    private sealed record SubscribeRule(string Pattern, string? Queue)
    {
        public byte[] PatternBytes { get; } = Encoding.ASCII.GetBytes(Pattern);

        public static SubscribeRule Parse(string entry)
        {
            var parts = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return new SubscribeRule(parts[0], parts.Length > 1 ? parts[1] : null);
        }

        public bool Covers(string subject, string? queue) =>
            (Queue is null || Queue == queue) && SubjectPatterns.IsSubsetOf(subject, Pattern);
    }
}
