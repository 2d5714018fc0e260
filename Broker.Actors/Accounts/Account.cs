using Akka.Actor;
using Broker.Subjects;

namespace Broker.Accounts;

/// <summary>
/// A handle on one account, shared by its connections: the subscription index they publish
/// against, and the shard actors that write it. The account's mutable state lives in
/// <see cref="AccountActor"/>.
/// </summary>
public sealed class Account
{
    public const string GlobalAccountName = "$G";

    private IActorRef[] _shards = [];
    private int _connections;

    public Account(string name, int literalShards)
    {
        Name = name;
        Index = new SubjectIndex(literalShards);
    }

    public string Name { get; }
    public SubjectIndex Index { get; }
    public int Connections => Volatile.Read(ref _connections);

    internal void AttachShards(IActorRef[] shards) => _shards = shards;

    internal void ConnectionOpened() => Interlocked.Increment(ref _connections);
    internal void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    /// <summary>Sends a subscription change to the shard actor that owns its subject.</summary>
    public void Subscribe(Subscription subscription, PendingChanges? changes)
    {
        changes?.Expect();
        _shards[Index.ShardOf(subscription.Subject)].Tell(new AddSubscription(subscription, changes));
    }

    public void Unsubscribe(Subscription subscription, PendingChanges? changes)
    {
        changes?.Expect();
        _shards[Index.ShardOf(subscription.Subject)].Tell(new RemoveSubscription(subscription, changes));
    }
}
