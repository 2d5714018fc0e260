namespace Broker.Subjects;

/// <summary>
/// An account's subscription index, split into shards by a subscription's first token (subjects
/// starting with a wildcard share one extra shard). Publishers call <see cref="Match"/> from their
/// own read loops: a cache hit is lock-free; a miss reads the two shards that can hold matches.
/// Writes go through the shard actors, each the single writer of its shard.
/// </summary>
public sealed class SubjectIndex
{
    private readonly SubjectShard[] _literalShards;
    private readonly SubjectShard _wildcardShard = new();
    private readonly MatchCache _cache = new();

    [ThreadStatic] private static MatchResultBuilder? t_builder;

    public SubjectIndex(int literalShards)
    {
        if (literalShards < 1) throw new ArgumentOutOfRangeException(nameof(literalShards));
        _literalShards = new SubjectShard[literalShards];
        for (var i = 0; i < literalShards; i++) _literalShards[i] = new SubjectShard();
    }

    /// <summary>Literal shards first, then the wildcard shard (its index is <c>ShardCount - 1</c>).</summary>
    public int ShardCount => _literalShards.Length + 1;

    public int SubscriptionCount
    {
        get
        {
            var total = _wildcardShard.Count;
            foreach (var shard in _literalShards) total += shard.Count;
            return total;
        }
    }

    public MatchResult Match(ReadOnlySpan<byte> subject)
    {
        if (_cache.TryGet(subject, out var cached)) return cached;

        var literal = _literalShards[LiteralShardOf(subject)];
        var builder = t_builder ??= new MatchResultBuilder();
        // Fixed order (literal, then wildcard) so readers never deadlock with each other.
        literal.Lock.EnterReadLock();
        _wildcardShard.Lock.EnterReadLock();
        try
        {
            literal.MatchInto(subject, builder);
            _wildcardShard.MatchInto(subject, builder);
            var result = builder.Build();
            // Stored while the locks are held: a writer that changes these shards invalidates after us.
            _cache.Add(subject, result);
            return result;
        }
        finally
        {
            _wildcardShard.Lock.ExitReadLock();
            literal.Lock.ExitReadLock();
            builder.Clear();
        }
    }

    /// <summary>Which shard (0..ShardCount-1) owns a subscription subject.</summary>
    public int ShardOf(ReadOnlySpan<byte> subscriptionSubject)
    {
        var dot = subscriptionSubject.IndexOf((byte)'.');
        var first = dot < 0 ? subscriptionSubject : subscriptionSubject[..dot];
        if (first is [(byte)'*'] or [(byte)'>']) return _literalShards.Length;
        return LiteralShardOf(subscriptionSubject);
    }

    internal void Apply(int shard, Subscription subscription, bool add)
    {
        var target = shard == _literalShards.Length ? _wildcardShard : _literalShards[shard];
        target.Apply(subscription, add, _cache);
    }

    private int LiteralShardOf(ReadOnlySpan<byte> subject)
    {
        if (_literalShards.Length == 1) return 0;
        var dot = subject.IndexOf((byte)'.');
        var first = dot < 0 ? subject : subject[..dot];
        return (int)((uint)ByteSequenceComparer.Instance.GetHashCode(first) % (uint)_literalShards.Length);
    }
}
