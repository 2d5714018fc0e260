namespace Broker.Subjects;

/// <summary>Collects matches from one or more tries, merging queue groups of the same name.</summary>
public sealed class MatchResultBuilder
{
    private readonly List<Subscription> _plain = new();
    private readonly Dictionary<string, List<Subscription>> _queues = new(StringComparer.Ordinal);

    public void AddPlain(List<Subscription> subscriptions) => _plain.AddRange(subscriptions);

    public void AddQueue(string queue, List<Subscription> members)
    {
        if (!_queues.TryGetValue(queue, out var list))
        {
            list = new List<Subscription>(members.Count);
            _queues.Add(queue, list);
        }
        list.AddRange(members);
    }

    public void Clear()
    {
        _plain.Clear();
        _queues.Clear();
    }

    public MatchResult Build()
    {
        if (_plain.Count == 0 && _queues.Count == 0) return MatchResult.Empty;
        var groups = new Subscription[_queues.Count][];
        var i = 0;
        foreach (var members in _queues.Values) groups[i++] = members.ToArray();
        return new MatchResult(_plain.ToArray(), groups);
    }
}
