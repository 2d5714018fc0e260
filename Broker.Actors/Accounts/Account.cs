using Akka.Actor;
using Broker.Subjects;
using Broker.Configuration;

namespace Broker.Accounts;

/// <summary>
/// One account, shared by its connections: the subscription index they publish against
/// (<see cref="Publish{TTargets}"/>) and the shard actors that write it. Who writes what: each
/// index shard only its <see cref="SubjectShardActor"/> (children of the <see cref="AccountActor"/>,
/// which also expires response routes); the import subscriptions and <see cref="Limits"/> the
/// start and then the claims updates, one at a time on the system events actor; the connection
/// count and response routes are thread-safe themselves. Publishers only read.
/// </summary>
public sealed partial class Account
{
    public const string GlobalAccountName = AccountNames.Global;

    private IActorRef[] _shards = [];
    private int _connections;

    public Account(string name, int literalShards)
    {
        Name = name;
        Index = new SubjectIndex(literalShards);
    }

    public string Name { get; }
    public SubjectIndex Index { get; }

    /// <summary>Limits on this account's clients; set at start, replaced by a claims update.</summary>
    public Configuration.AccountLimits Limits { get; internal set; } = Configuration.AccountLimits.None;
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The subscriptions that carry this account's imports, with the account each lives in (replaced when its claims change).</summary>
    private readonly List<(Account Target, Subscription Subscription)> _importSubscriptions = new();

    /// <summary>Puts one of this account's import subscriptions into <paramref name="target"/>'s index and remembers it.</summary>
    internal void AddImport(Account target, Subscription subscription, PendingChanges changes)
    {
        target.Subscribe(subscription, changes);
        _importSubscriptions.Add((target, subscription));
    }

    /// <summary>Takes every import subscription of this account out of the indexes (closed at once, so no publisher picks them meanwhile).</summary>
    internal void RemoveImports(PendingChanges changes)
    {
        foreach (var (target, subscription) in _importSubscriptions)
        {
            subscription.Close();
            target.Unsubscribe(subscription, changes);
        }
        _importSubscriptions.Clear();
    }

    /// <summary>
    /// Takes every import subscription out of service at once (no publisher picks them from now on)
    /// and hands them over, still in the indexes: the caller adds the new ones, then removes these
    /// (<see cref="RemoveDetached"/>), so interest that stays never drops to none on the way
    /// (no LS-/LS+ to leaves, RS-/RS+ to routes, for an import that did not change).
    /// </summary>
    internal List<(Account Target, Subscription Subscription)> DetachImports()
    {
        var detached = new List<(Account Target, Subscription Subscription)>(_importSubscriptions);
        foreach (var (_, subscription) in detached) subscription.Close();
        _importSubscriptions.Clear();
        return detached;
    }

    /// <summary>Takes subscriptions <see cref="DetachImports"/> handed over out of their indexes.</summary>
    internal static void RemoveDetached(IEnumerable<(Account Target, Subscription Subscription)> detached, PendingChanges changes)
    {
        foreach (var (target, subscription) in detached) target.Unsubscribe(subscription, changes);
    }

    /// <summary>Service requests this account answers for importers, waiting for their responses.</summary>
    internal ResponseRoutes Responses { get; } = new();

    /// <summary>Cheap check before <see cref="TryRouteResponse"/>: most accounts export no service.</summary>
    public bool HasResponseRoutes => Responses.Count > 0;

    /// <summary>
    /// If <paramref name="subject"/> is the reply subject of an imported request, delivers the
    /// response to the importing account under the requester's own reply subject.
    /// </summary>
    public bool TryRouteResponse(
        ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
    {
        if (!subject.StartsWith(ResponseRoutes.Prefix) || !Responses.TryTake(subject, out var route)) return false;
        var importer = route.Importer;
        context.DeliverAll(importer.Index.Match(route.Reply), route.Reply, reply, headersAndPayload, headerSize);
        route.Latency?.Responded(context);
        return true;
    }

    private int _responseInterest;

    /// <summary>
    /// In a cluster, subscribes this account once to its response subjects (<c>_R_.TAG.&gt;</c>),
    /// before the first request leaves, so a responder on another node sends its response here.
    /// </summary>
    internal void EnsureResponseInterest()
    {
        if (ClusterInterest is null || Volatile.Read(ref _responseInterest) != 0 || Interlocked.Exchange(ref _responseInterest, 1) != 0) return;
        Subscribe(new Subscription(ResponseInterest.Instance, Responses.Wildcard, null, "$responses"u8.ToArray()), null);
    }

    /// <summary>This node's interest for the other cluster nodes; null on a single broker, which then pays nothing.</summary>
    internal IRemoteInterest? ClusterInterest { get; set; }

    /// <summary>The account's leaf connections' view of its interest; null without leaf nodes, which then pay nothing.</summary>
    internal IInterestObserver? LeafInterest { get; set; }

    internal void AttachShards(IActorRef[] shards) => _shards = shards;

    internal void ConnectionOpened() => Interlocked.Increment(ref _connections);
    internal void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    /// <summary>Sends a subscription change to the shard actor that owns its subject.</summary>
    public void Subscribe(Subscription subscription, PendingChanges? changes)
    {
        changes?.Expect();
        _shards[Index.ShardOf(subscription.Subject)].Tell(new AddSubscription(subscription, changes));
        ClusterInterest?.Subscribed(this, subscription);
        LeafInterest?.Added(subscription);
    }

    public void Unsubscribe(Subscription subscription, PendingChanges? changes)
    {
        changes?.Expect();
        _shards[Index.ShardOf(subscription.Subject)].Tell(new RemoveSubscription(subscription, changes));
        ClusterInterest?.Unsubscribed(subscription);
        LeafInterest?.Removed(subscription);
    }
}
