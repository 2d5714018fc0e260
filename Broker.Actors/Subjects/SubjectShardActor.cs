using Akka.Actor;

namespace Broker.Subjects;

/// <summary>The single writer of one shard of an account's subscription index.</summary>
public sealed class SubjectShardActor : ReceiveActor
{
    public static Props Props(SubjectIndex index, int shard) => Akka.Actor.Props.Create(() => new SubjectShardActor(index, shard));

    public SubjectShardActor(SubjectIndex index, int shard)
    {
        Receive<AddSubscription>(m =>
        {
            index.Apply(shard, m.Subscription, add: true);
            m.Changes?.Applied();
        });
        Receive<RemoveSubscription>(m =>
        {
            index.Apply(shard, m.Subscription, add: false);
            m.Changes?.Applied();
        });
    }
}
