namespace Broker.Clients;

/// <summary>
/// The read buffer's size, as nats-server's read loop sizes it: 512 B at first, doubled when a read
/// fills it (up to 256 KB, or further while one frame does not fit), halved once more than two reads
/// in a row filled less than half of it (down to 64 B). A quiet connection so holds a small buffer,
/// a busy one reads large batches per call. nats-server stops at 64 KB; going to 256 KB gives each
/// subscriber of a flooding publisher a four times larger write per batch, which took the 1 KB
/// queue-group firehose from 1.5x to 2.7x nats-server's rate (Broker.Bench/results, 2026-12-06).
/// </summary>
internal struct ReadBufferSizing()
{
    public const int Initial = 512;
    public const int Min = 64;
    public const int MaxIdle = 256 * 1024;

    /// <summary>nats-server's <c>shortsToShrink</c>: short reads tolerated before the buffer halves.</summary>
    private const int ShortsToShrink = 2;

    private int _shortReads;

    /// <summary>
    /// The size for the next read, after one of <paramref name="read"/> bytes into a buffer of
    /// <paramref name="capacity"/> that it <paramref name="filled"/>; <paramref name="kept"/>
    /// bytes (an unfinished frame) stay at its front and must fit.
    /// </summary>
    public int Next(bool filled, int read, int capacity, int kept)
    {
        if (filled) _shortReads = 0;
        else if (read < capacity / 2) _shortReads++;
        if (kept == capacity || (filled && capacity < MaxIdle)) return capacity * 2;
        if (!filled && _shortReads > ShortsToShrink && capacity > Min && kept <= capacity / 2) return capacity / 2;
        return capacity;
    }
}
