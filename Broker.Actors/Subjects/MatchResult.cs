namespace Broker.Subjects;

/// <summary>
/// The subscriptions a subject reaches, immutable so the match cache can hand it to any thread:
/// plain subscriptions get every message, each queue group one member per message.
/// </summary>
public sealed class MatchResult
{
    public static readonly MatchResult Empty = new([], []);

    public MatchResult(Subscription[] plain, Subscription[][] queueGroups, int[]? localMembers = null)
    {
        Plain = plain;
        QueueGroups = queueGroups;
        _localMembers = localMembers;
    }

    /// <summary>Per queue group, how many members (at its start) are on this node; null: all of them.</summary>
    private readonly int[]? _localMembers;

    /// <summary>How many of group <paramref name="group"/>'s first members are on this node; the rest stand for other nodes.</summary>
    public int LocalMembers(int group) => _localMembers is null ? QueueGroups[group].Length : _localMembers[group];

    public Subscription[] Plain { get; }
    public Subscription[][] QueueGroups { get; }
    public bool IsEmpty => Plain.Length == 0 && QueueGroups.Length == 0;
}
