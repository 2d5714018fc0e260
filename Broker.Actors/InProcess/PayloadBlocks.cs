namespace Broker.InProcess;

/// <summary>
/// Where an in-process subscriber's copies of small messages live: carved one after the other out
/// of shared 4 KiB blocks (a new block when one is full), so a 16-byte message costs its share of a
/// block rather than an array of its own. The copies never change and stay valid as long as a
/// message refers to them; the price is that one message kept for long keeps its whole block (at
/// most 4 KiB). Larger messages get an array each. Thread-safe: publishers on several threads may
/// deliver to one subscriber at once.
/// </summary>
internal sealed class PayloadBlocks
{
    private const int BlockSize = 4096;

    /// <summary>Messages up to this size (header block and payload) share blocks.</summary>
    private const int SharedLimit = 256;

    /// <summary>The block being filled; null until the first small message (a subscription that gets none costs nothing).</summary>
    private Block? _block;

    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return ReadOnlyMemory<byte>.Empty;
        if (data.Length > SharedLimit) return data.ToArray();
        while (true)
        {
            var block = Volatile.Read(ref _block);
            if (block is not null)
            {
                var end = Interlocked.Add(ref block.Used, data.Length);
                if (end <= BlockSize)
                {
                    var copy = block.Bytes.AsMemory(end - data.Length, data.Length);
                    data.CopyTo(copy.Span);
                    return copy;
                }
            }
            // Full (or none yet): the first to notice puts a fresh block in; the others retry on it.
            Interlocked.CompareExchange(ref _block, new Block(), block);
        }
    }

    private sealed class Block
    {
        public readonly byte[] Bytes = GC.AllocateUninitializedArray<byte>(BlockSize);
        public int Used;
    }
}
