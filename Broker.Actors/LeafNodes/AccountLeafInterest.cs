using Broker.Accounts;
using Broker.Subjects;

namespace Broker.LeafNodes;

/// <summary>
/// One account's interest as its leaf connections see it. Every subscription of the account
/// passes here (<see cref="IInterestObserver"/>); each attached connection keeps its own counts
/// per key (<c>subject</c> or <c>subject queue</c>) of the subscriptions it is told of, and gets
/// <c>LS+</c> when a key appears, <c>LS+ … weight</c> again when a queue's member count changes,
/// <c>LS-</c> when it goes: the burst at attach and every change after, in order, under one lock.
/// </summary>
internal sealed class AccountLeafInterest : IInterestObserver
{
    private readonly object _gate = new();
    private readonly HashSet<Subscription> _all = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<LeafConnection, Dictionary<string, int>> _attached = new(ReferenceEqualityComparer.Instance);

    public AccountLeafInterest(Account account)
    {
        Account = account;
        LoopSubject = "$LDS." + Security.Nonce.Create().Replace('-', 'x').Replace('_', 'y');
    }

    public Account Account { get; }

    private const string RegionReplySubject = "_GR_.>";

    /// <summary>
    /// This server's loop detector for the account (<c>$LDS.&lt;id&gt;</c>): sent to every leaf
    /// connection; if it ever comes back on one, leaves and hubs form a loop.
    /// </summary>
    public string LoopSubject { get; }

    // Walks go over a copy: sending can close a link (a failed write), which detaches it from here on this thread.
    public void Added(Subscription subscription)
    {
        lock (_gate)
        {
            if (!_all.Add(subscription)) return;
            foreach (var (connection, counts) in _attached.ToArray())
            {
                if (connection.IsToldOf(subscription)) Change(connection, counts, subscription, +1);
            }
        }
    }

    public void Removed(Subscription subscription)
    {
        lock (_gate)
        {
            if (!_all.Remove(subscription)) return;
            foreach (var (connection, counts) in _attached.ToArray())
            {
                if (connection.IsToldOf(subscription)) Change(connection, counts, subscription, -1);
            }
        }
    }

    /// <summary>Sends the connection the whole interest it is to know of (and the loop detector), then every change.</summary>
    public void Attach(LeafConnection connection)
    {
        lock (_gate)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var subscription in _all)
            {
                if (!connection.IsToldOf(subscription)) continue;
                var key = Key(subscription);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            var burst = new List<byte[]>(counts.Count + 2) { LeafFrames.Interest(true, LoopSubject, null, 0) };
            // A leaf's answers to requests from other regions go to _GR_.REGION.NODE.reply: the hub takes them all (as nats-server sends _GR_.>).
            if (connection.TakesRegionReplies) burst.Add(LeafFrames.Interest(true, RegionReplySubject, null, 0));
            foreach (var (key, count) in counts)
            {
                var space = key.IndexOf(' ');
                burst.Add(space < 0 ? LeafFrames.Interest(true, key, null, 0) : LeafFrames.Interest(true, key[..space], key[(space + 1)..], count));
            }
            connection.SendInterest(burst);
            _attached[connection] = counts;
        }
    }

    public void Detach(LeafConnection connection)
    {
        lock (_gate) _attached.Remove(connection);
    }

    /// <summary>The connections attached now (monitoring, duplicate checks).</summary>
    public IReadOnlyList<LeafConnection> Connections
    {
        get
        {
            lock (_gate) return _attached.Keys.ToArray();
        }
    }

    private static string Key(Subscription subscription) =>
        subscription.QueueText is null ? subscription.SubjectText : subscription.SubjectText + " " + subscription.QueueText;

    private static void Change(LeafConnection connection, Dictionary<string, int> counts, Subscription subscription, int delta)
    {
        var key = Key(subscription);
        var count = counts.GetValueOrDefault(key) + delta;
        if (count < 0) return;
        if (count == 0) counts.Remove(key);
        else counts[key] = count;
        if (count == 0)
        {
            connection.SendInterest([LeafFrames.Interest(false, subscription.SubjectText, subscription.QueueText, 0)]);
        }
        else if (count == 1 && delta > 0 || subscription.QueueText is not null)
        {
            // A queue's weight is re-sent on every change, as nats-server does (updateSmap).
            connection.SendInterest([LeafFrames.Interest(true, subscription.SubjectText, subscription.QueueText, count)]);
        }
    }
}
