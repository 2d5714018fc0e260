namespace Broker.Server;

/// <summary>
/// When to give memory back after a load: the managed heap has grown well past what was live the
/// last time, and the server has been quiet for a whole interval. A burst (slow consumers' pending
/// output, a flood of large payloads, many subscriptions gone) leaves its buffers as garbage in the
/// oldest generation, and a server that then idles allocates too little for the GC ever to run:
/// without a collection the memory stays resident. Never during traffic, so no pause lands on a message.
/// </summary>
public sealed class HeapReclaimPolicy(long liveHeapBytes)
{
    /// <summary>Growth below this is left to the GC's own schedule.</summary>
    public const long MinGrowthBytes = 16 * 1024 * 1024;

    private long _baseline = liveHeapBytes;
    private long? _lastActivity;
    private long _lookedAt;
    private bool _awaitActivity;
    private bool _triedOnce;

    /// <summary>
    /// One look per interval: <paramref name="heapBytes"/> is the heap with its uncollected garbage,
    /// <paramref name="activity"/> any count that moves while the server works (messages, connections).
    /// </summary>
    public bool ShouldReclaim(long heapBytes, long activity)
    {
        var quiet = _lastActivity == activity;
        if (!quiet) _awaitActivity = false;
        _lastActivity = activity;
        // The GC's own collections lower the mark too: growth is measured from the least seen.
        _baseline = Math.Min(_baseline, heapBytes);
        _lookedAt = heapBytes;
        return quiet && !_awaitActivity && heapBytes - _baseline > Math.Max(MinGrowthBytes, _baseline / 2);
    }

    /// <summary>
    /// After a collection: what is live now is the new mark, unless the collection found most of the
    /// growth still live for the first time. A quiet spell can be a stall (publishers paused on
    /// subscribers that stopped reading) whose pending output becomes garbage only when they are cut
    /// a few seconds later: the mark stays, and the next collection waits for activity. A second
    /// such collection in a row takes what it found as live.
    /// </summary>
    public void Reclaimed(long heapBytes)
    {
        var freedMostOfTheGrowth = _lookedAt - heapBytes >= (_lookedAt - _baseline) / 2;
        if (freedMostOfTheGrowth || _triedOnce)
        {
            _baseline = heapBytes;
            _triedOnce = false;
            return;
        }
        _triedOnce = true;
        _awaitActivity = true;
    }
}
