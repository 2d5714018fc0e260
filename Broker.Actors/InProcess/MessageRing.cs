namespace Broker.InProcess;

/// <summary>A growable FIFO that can also drop its newest element (for DropTail). Not thread-safe: its owner locks.</summary>
internal sealed class MessageRing
{
    private BrokerMessage?[] _items;
    private int _head;

    public MessageRing(int initialCapacity) => _items = new BrokerMessage?[Math.Max(4, initialCapacity)];

    public int Count { get; private set; }

    public void Enqueue(BrokerMessage message)
    {
        if (Count == _items.Length) Grow();
        _items[(_head + Count) % _items.Length] = message;
        Count++;
    }

    public BrokerMessage Dequeue()
    {
        var message = _items[_head]!;
        _items[_head] = null;
        _head = (_head + 1) % _items.Length;
        Count--;
        return message;
    }

    public BrokerMessage RemoveNewest()
    {
        var at = (_head + Count - 1) % _items.Length;
        var message = _items[at]!;
        _items[at] = null;
        Count--;
        return message;
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
        for (var i = 0; i < Count; i++) larger[i] = _items[(_head + i) % _items.Length];
        _items = larger;
        _head = 0;
    }
}
