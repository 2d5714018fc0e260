namespace Broker.Clients;

/// <summary>
/// The last closed connections, oldest first, for /connz?state=closed: a ring that forgets the
/// oldest once full (nats-server keeps 10,000 by default).
/// </summary>
public sealed class ClosedConnections
{
    public const int DefaultCapacity = 10_000;

    private readonly object _gate = new();
    private readonly ConnectionSnapshot[] _ring;
    private int _next;
    private int _count;

    public ClosedConnections(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new ConnectionSnapshot[capacity];
    }

    public int Capacity => _ring.Length;

    public void Add(ConnectionSnapshot closed)
    {
        lock (_gate)
        {
            _ring[_next] = closed;
            _next = (_next + 1) % _ring.Length;
            if (_count < _ring.Length) _count++;
        }
    }

    /// <summary>A copy, oldest first.</summary>
    public ConnectionSnapshot[] ToArray()
    {
        lock (_gate)
        {
            var copy = new ConnectionSnapshot[_count];
            var first = (_next - _count + _ring.Length) % _ring.Length;
            for (var i = 0; i < _count; i++) copy[i] = _ring[(first + i) % _ring.Length];
            return copy;
        }
    }
}
