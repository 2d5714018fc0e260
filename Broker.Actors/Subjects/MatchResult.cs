namespace Broker.Subjects;

/// <summary>
/// The subscriptions a subject reaches, immutable so the match cache can hand it to any thread:
/// plain subscriptions get every message, each queue group one member per message.
/// </summary>
public sealed class MatchResult
{
    public static readonly MatchResult Empty = new([], []);

    public MatchResult(Subscription[] plain, Subscription[][] queueGroups)
    {
        Plain = plain;
        QueueGroups = queueGroups;
    }

    public Subscription[] Plain { get; }
    public Subscription[][] QueueGroups { get; }
    public bool IsEmpty => Plain.Length == 0 && QueueGroups.Length == 0;
}
