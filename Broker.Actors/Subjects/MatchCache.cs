using System.Collections.Concurrent;

namespace Broker.Subjects;

/// <summary>
/// Subject → match result, read lock-free by publishers and probed with the subject's bytes, so a
/// cache hit costs one hash and no allocation. Bounded like nats-server's sublist cache.
/// </summary>
public sealed class MatchCache
{
    private const int MaxEntries = 1024;
    private const int SweepTo = 768;

    private readonly ConcurrentDictionary<byte[], MatchResult> _entries = new(ByteSequenceComparer.Instance);
    private readonly ConcurrentDictionary<byte[], MatchResult>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;
    private int _count;

    public MatchCache() => _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();

    public bool TryGet(ReadOnlySpan<byte> subject, out MatchResult result) => _bySpan.TryGetValue(subject, out result!);

    public void Add(ReadOnlySpan<byte> subject, MatchResult result)
    {
        if (_bySpan.TryAdd(subject, result) && Interlocked.Increment(ref _count) > MaxEntries) Sweep();
    }

    /// <summary>Drops every entry whose subject the pattern matches (a subscription came or went).</summary>
    public void Invalidate(ReadOnlySpan<byte> pattern)
    {
        if (Volatile.Read(ref _count) == 0) return;
        foreach (var key in _entries.Keys)
        {
            if (SubjectMatcher.Matches(pattern, key) && _entries.TryRemove(key, out _)) Interlocked.Decrement(ref _count);
        }
    }

    private void Sweep()
    {
        foreach (var key in _entries.Keys)
        {
            if (Volatile.Read(ref _count) <= SweepTo) return;
            if (_entries.TryRemove(key, out _)) Interlocked.Decrement(ref _count);
        }
    }
}
