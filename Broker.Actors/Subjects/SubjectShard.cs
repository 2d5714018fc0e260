namespace Broker.Subjects;

/// <summary>
/// One shard of an account's subscriptions: a trie written only by its <see cref="SubjectShardActor"/>
/// and read by publishers on a match-cache miss. The lock only keeps a reader from seeing a
/// half-made write; publishers that hit the cache never take it.
/// </summary>
public sealed class SubjectShard
{
    private readonly SubjectTrie _trie = new();

    internal ReaderWriterLockSlim Lock { get; } = new(LockRecursionPolicy.NoRecursion);

    public int Count
    {
        get
        {
            Lock.EnterReadLock();
            try { return _trie.Count; }
            finally { Lock.ExitReadLock(); }
        }
    }

    /// <summary>Called by the shard actor only, with the cache invalidation inside the same write lock.</summary>
    internal void Apply(Subscription subscription, bool add, MatchCache cache)
    {
        Lock.EnterWriteLock();
        try
        {
            if (add) _trie.Insert(subscription);
            else if (!_trie.Remove(subscription)) return;
            cache.Invalidate(subscription.Subject);
        }
        finally
        {
            Lock.ExitWriteLock();
        }
    }

    /// <summary>Caller holds the read lock.</summary>
    internal void MatchInto(ReadOnlySpan<byte> subject, MatchResultBuilder builder) => _trie.Match(subject, builder);
}
