using Akka.Actor;
using Broker.Subjects;

namespace Broker.Accounts;

/// <summary>
/// Owns one account: creates its subject shard actors and supervises them, and forgets service
/// response routes whose threshold has passed.
/// </summary>
public sealed class AccountActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    public static Props Props(Account account) => Akka.Actor.Props.Create(() => new AccountActor(account));

    public AccountActor(Account account)
    {
        var shards = new IActorRef[account.Index.ShardCount];
        for (var i = 0; i < shards.Length; i++)
        {
            shards[i] = Context.ActorOf(SubjectShardActor.Props(account.Index, i), $"shard-{i}");
        }
        account.AttachShards(shards);
        Receive<SweepResponses>(_ => account.Responses.Expire(Environment.TickCount64));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("responses", SweepResponses.Instance, SweepInterval);

    private sealed class SweepResponses
    {
        public static readonly SweepResponses Instance = new();
    }
}
