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
        int[]? regionMembers = null;
        int[]? ownMembers = null;
        var i = 0;
        foreach (var members in _queues.Values)
        {
            var group = groups[i] = members.ToArray();
            // Other nodes' members after this node's, other regions' last, so delivery can prefer the nearest (DESIGN semantic 3).
            var own = 0;
            var local = 0;
            var region = 0;
            foreach (var member in group)
            {
                var reach = member.Owner.Reach;
                if (reach == SubscriberReach.Local) own++;
                if (reach <= SubscriberReach.Leaf) local++;
                if (reach != SubscriberReach.Gateway) region++;
            }
            if (own < group.Length)
            {
                ownMembers ??= Lengths(groups, i, _queues.Count);
                localMembers ??= Lengths(groups, i, _queues.Count);
                regionMembers ??= Lengths(groups, i, _queues.Count);
                Array.Sort(group, static (a, b) => a.Owner.Reach.CompareTo(b.Owner.Reach));
            }
            if (ownMembers is not null) ownMembers[i] = own;
            if (localMembers is not null) localMembers[i] = local;
            if (regionMembers is not null) regionMembers[i] = region;
            i++;
        }
        return new MatchResult(_plain.ToArray(), groups, localMembers, regionMembers, ownMembers);
    }

    /// <summary>The member counts of the groups before <paramref name="upTo"/> (all of theirs are local), zeros after.</summary>
    private static int[] Lengths(Subscription[][] groups, int upTo, int count) =>
        groups.Take(upTo).Select(g => g.Length).Concat(new int[count - upTo]).ToArray();
}
