using Akka.Actor;

namespace Broker.Accounts;

/// <summary>
/// Owns one account: creates its subject shard actors and supervises them. Imports, exports and
/// limits join here with the accounts work.
/// </summary>
public sealed class AccountActor : ReceiveActor
{
    public static Props Props(Account account) => Akka.Actor.Props.Create(() => new AccountActor(account));

    public AccountActor(Account account)
    {
        var shards = new IActorRef[account.Index.ShardCount];
        for (var i = 0; i < shards.Length; i++)
        {
            shards[i] = Context.ActorOf(SubjectShardActor.Props(account.Index, i), $"shard-{i}");
        }
        account.AttachShards(shards);
    }
}
