using Broker.Accounts;
using Broker.Subjects;

namespace Broker.Cluster;

/// <summary>
/// Interest another node or region has, held here as subscriptions in the local accounts'
/// indexes: one per (account, subject, queue group), all of one account owned by one link, which
/// the publish path hands matching messages. Interest in an account this node does not have yet
/// (operator mode adds accounts as their JWTs arrive) waits until it is added. Used by one actor.
/// </summary>
internal sealed class HeldInterest<TLink>(AccountDirectory accounts, Func<string, TLink> newLink) where TLink : Subscriber
{
    private readonly Dictionary<string, TLink> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<InterestEntry, (Account Account, Subscription Subscription)> _interest = new();
    private readonly HashSet<InterestEntry> _waiting = new();

    public int Count => _interest.Count;

    public IReadOnlyCollection<TLink> Links => _links.Values;

    /// <summary>Holds <paramref name="entry"/>; true when it took effect now (false: held already, or waiting for its account).</summary>
    public bool Add(InterestEntry entry, PendingChanges changes)
    {
        if (_interest.ContainsKey(entry)) return false;
        if (!accounts.TryGet(entry.Account, out var account))
        {
            _waiting.Add(entry);
            return false;
        }
        _waiting.Remove(entry);
        if (!_links.TryGetValue(entry.Account, out var link)) _links.Add(entry.Account, link = newLink(entry.Account));
        var subscription = new Subscription(
            link, System.Text.Encoding.UTF8.GetBytes(entry.Subject), entry.Queue is null ? null : System.Text.Encoding.UTF8.GetBytes(entry.Queue), []);
        _interest.Add(entry, (account, subscription));
        account.Subscribe(subscription, changes);
        return true;
    }

    /// <summary>Lets go of <paramref name="entry"/>; true when it was in effect.</summary>
    public bool Remove(InterestEntry entry, PendingChanges changes)
    {
        _waiting.Remove(entry);
        if (!_interest.Remove(entry, out var held)) return false;
        // Closed at once, so no publisher picks it (a queue group falls to another member) while the shard catches up.
        held.Subscription.Close();
        held.Account.Unsubscribe(held.Subscription, changes);
        return true;
    }

    /// <summary>Everything held and waiting.</summary>
    public IReadOnlyList<InterestEntry> Entries => _interest.Keys.Concat(_waiting).ToArray();

    /// <summary>The waiting interest in <paramref name="account"/>, now that it was added.</summary>
    public IReadOnlyList<InterestEntry> WaitingFor(string account) => _waiting.Where(e => e.Account == account).ToArray();

    /// <summary>Forgets the links (after everything was removed), so the next interest gets new ones.</summary>
    public IReadOnlyList<TLink> TakeLinks()
    {
        var links = _links.Values.ToArray();
        _links.Clear();
        _waiting.Clear();
        return links;
    }
}
