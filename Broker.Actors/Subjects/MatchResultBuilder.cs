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
        int[]? localMembers = null;
        var i = 0;
        foreach (var members in _queues.Values)
        {
            var group = groups[i] = members.ToArray();
            // Other nodes' members go last, so delivery can prefer this node's (DESIGN semantic 3).
            var local = 0;
            foreach (var member in group) if (!member.Owner.IsRemote) local++;
            if (local < group.Length)
            {
                localMembers ??= groups.Take(i).Select(g => g.Length).Concat(new int[_queues.Count - i]).ToArray();
                Array.Sort(group, static (a, b) => a.Owner.IsRemote.CompareTo(b.Owner.IsRemote));
            }
            if (localMembers is not null) localMembers[i] = local;
            i++;
        }
        return new MatchResult(_plain.ToArray(), groups, localMembers);
    }
}
