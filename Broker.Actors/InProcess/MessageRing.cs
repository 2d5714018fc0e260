using System.Numerics;

namespace Broker.InProcess;

/// <summary>
/// A growable FIFO that can also drop its newest element (for DropTail). Not thread-safe: its owner
/// locks. Its length is a power of two, so positions wrap with a mask, not a division per message.
/// </summary>
internal sealed class MessageRing
{
    private BrokerMessage?[] _items;
    private int _head;

    public MessageRing(int initialCapacity) => _items = new BrokerMessage?[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, initialCapacity))];

    private int Mask => _items.Length - 1;

    public int Count { get; private set; }

    public void Enqueue(BrokerMessage message)
    {
        if (Count == _items.Length) Grow();
        _items[(_head + Count) & Mask] = message;
        Count++;
    }

    public BrokerMessage Dequeue()
    {
        var message = _items[_head]!;
        _items[_head] = null;
        _head = (_head + 1) & Mask;
        Count--;
        return message;
    }

    public BrokerMessage RemoveNewest()
    {
        var at = (_head + Count - 1) & Mask;
        var message = _items[at]!;
        _items[at] = null;
        Count--;
        return message;
    }

    /// <summary>
    /// Moves the oldest messages into <paramref name="into"/> (as many as fit), in two block copies
    /// rather than a dequeue each; returns how many, and their total size in bytes.
    /// </summary>
    public int DequeueInto(BrokerMessage?[] into, out long bytes)
    {
        var taken = Math.Min(Count, into.Length);
        var first = Math.Min(taken, _items.Length - _head);
        Array.Copy(_items, _head, into, 0, first);
        Array.Clear(_items, _head, first);
        if (taken > first)
        {
            Array.Copy(_items, 0, into, first, taken - first);
            Array.Clear(_items, 0, taken - first);
        }
        _head = (_head + taken) & Mask;
        Count -= taken;
        bytes = 0;
        for (var i = 0; i < taken; i++) bytes += into[i]!.Size;
        return taken;
    }

    public void Clear()
    {
        Array.Clear(_items);
        _head = 0;
        Count = 0;
    }

    private void Grow()
    {
        var larger = new BrokerMessage?[_items.Length * 2];
        for (var i = 0; i < Count; i++) larger[i] = _items[(_head + i) & Mask];
        _items = larger;
        _head = 0;
    }
}
