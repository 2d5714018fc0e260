namespace Broker.Clients;

/// <summary>
/// Reused byte-array keys for reply subjects. Under allow_responses every delivered request adds a
/// response grant keyed by its reply subject, and the response removes it: recycling the keys keeps
/// request/reply free of one allocation per request. Used under the grants' lock.
/// </summary>
internal sealed class ReplyKeyPool
{
    /// <summary>Enough for the requests a busy responder has in flight; beyond this keys go to the GC.</summary>
    private const int MaxPooled = 1024;

    private readonly Dictionary<int, Stack<byte[]>> _byLength = new();
    private int _pooled;

    /// <summary>A key holding <paramref name="subject"/>: a returned one of the same length, else a new one.</summary>
    public byte[] Rent(ReadOnlySpan<byte> subject)
    {
        if (_byLength.TryGetValue(subject.Length, out var free) && free.TryPop(out var key))
        {
            _pooled--;
            subject.CopyTo(key);
            return key;
        }
        return subject.ToArray();
    }

    /// <summary>Takes back a key no dictionary holds any more.</summary>
    public void Return(byte[] key)
    {
        if (_pooled >= MaxPooled) return;
        if (!_byLength.TryGetValue(key.Length, out var free)) _byLength[key.Length] = free = new Stack<byte[]>();
        free.Push(key);
        _pooled++;
    }
}
