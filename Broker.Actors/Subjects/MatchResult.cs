namespace Broker.Subjects;

/// <summary>
/// The subscriptions a subject reaches, immutable so the match cache can hand it to any thread:
/// plain subscriptions get every message, each queue group one member per message.
/// </summary>
public sealed class MatchResult
{
    public static readonly MatchResult Empty = new([], []);

    public MatchResult(Subscription[] plain, Subscription[][] queueGroups, int[]? localMembers = null, int[]? regionMembers = null, int[]? ownMembers = null)
    {
        Plain = plain;
        QueueGroups = queueGroups;
        _localMembers = localMembers;
        _regionMembers = regionMembers;
        _ownMembers = ownMembers;
    }

    /// <summary>Per queue group, how many members (at its start) are this node's own subscribers, its leaf links' after them; null: as many as are local.</summary>
    private readonly int[]? _ownMembers;

    /// <summary>Per queue group, how many members (at its start) are on this node; null: all of them.</summary>
    private readonly int[]? _localMembers;

    /// <summary>Per queue group, how many members (at its start) are in this region (this node's and other nodes'); null: all of them.</summary>
    private readonly int[]? _regionMembers;

    /// <summary>How many of group <paramref name="group"/>'s first members are on this node (its leaf links' included); the rest stand for other nodes.</summary>
    public int LocalMembers(int group) => _localMembers is null ? QueueGroups[group].Length : _localMembers[group];

    /// <summary>How many of group <paramref name="group"/>'s members are within <paramref name="reach"/>: they come first, nearest first.</summary>
    public int MembersWithin(int group, SubscriberReach reach) => reach switch
    {
        SubscriberReach.Local => _ownMembers is null ? LocalMembers(group) : _ownMembers[group],
        SubscriberReach.Leaf => LocalMembers(group),
        SubscriberReach.Cluster => _regionMembers is null ? QueueGroups[group].Length : _regionMembers[group],
        _ => QueueGroups[group].Length,
    };

    public Subscription[] Plain { get; }
    public Subscription[][] QueueGroups { get; }
    public bool IsEmpty => Plain.Length == 0 && QueueGroups.Length == 0;
}
