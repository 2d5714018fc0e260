using System.Text;
using Broker.Subjects;

namespace Broker.LeafNodes;

public sealed partial class LeafConnection
{
    /// <summary>The peer's interest by nats-server's key (<c>subject</c> or <c>subject queue</c>), one subscription each.</summary>
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly object _subscriptionsGate = new();
    private PendingChanges? _changes;

    private void OnSubscribe(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> queue, ReadOnlySpan<byte> key)
    {
        var account = Account!;
        if (!SubjectValidator.IsValidSubscribeSubject(subject) || (!queue.IsEmpty && !SubjectValidator.IsValidPublishSubject(queue)))
        {
            // nats-server logs and ignores a malformed LS+ rather than dropping the link.
            _server.Log.Error($"{Description} - Invalid leafnode subscription subject \"{Encoding.UTF8.GetString(subject)}\"");
            return;
        }
        if (_leafs.InterestOf(account) is { } interest && subject.SequenceEqual(Encoding.ASCII.GetBytes(interest.LoopSubject)))
        {
            // Our own loop detector came back: leaves and hubs form a loop.
            _server.Log.Error($"{Description} - Loop detected for leafnode account=\"{account.Name}\"");
            PenaltyRequested = true;
            Close("Loop Detected", LeafErrors.LoopDetected(account.Name));
            return;
        }
        if (_outgoingRule is { } rule && !LeafSubjectRule.IsExempt(subject) && !MayTakeInterest(rule, subject)) return;
        var keyText = Encoding.UTF8.GetString(key);
        var max = _server.Options.MaxSubscriptions;
        Subscription subscription;
        lock (_subscriptionsGate)
        {
            if (IsClosed || _subscriptions.ContainsKey(keyText)) return; // a queue's new weight: one subscription stands for the group
            if (max > 0 && _subscriptions.Count >= max)
            {
                _server.Log.Error($"{Description} - {Protocol.ProtocolErrors.MaxSubscriptionsExceeded}");
                return;
            }
            subscription = new Subscription(this, subject.ToArray(), queue.IsEmpty ? null : queue.ToArray(), Encoding.UTF8.GetBytes(keyText));
            _subscriptions.Add(keyText, subscription);
            account.Subscribe(subscription, _changes);
        }
    }

    /// <summary>
    /// Whether the peer may have interest in <paramref name="subject"/> from us. A leaf asking its
    /// hub for a literal subject its user may not receive is refused as nats-server does
    /// (<c>-ERR 'Permissions Violation for Subscription to "x"'</c>, and the leaf waits 30 s); a
    /// hub's interest a leaf may not serve (<c>deny_exports</c>, <c>export</c>) is ignored.
    /// </summary>
    private bool MayTakeInterest(LeafSubjectRule rule, ReadOnlySpan<byte> subject)
    {
        var wildcard = SubjectValidator.HasWildcard(subject);
        if (wildcard ? rule.AdmitsInterest(Encoding.UTF8.GetString(subject)) : rule.Allows(subject)) return true;
        var text = Encoding.UTF8.GetString(subject);
        if (!IsSpoke && !wildcard)
        {
            Close("Permissions Violation", LeafErrors.SubscriptionViolation(text));
            return false;
        }
        _server.Log.Debug($"{Description} - Permissions Violation for Subscription to \"{text}\"");
        return false;
    }

    private void OnUnsubscribe(ReadOnlySpan<byte> key)
    {
        Subscription? subscription;
        lock (_subscriptionsGate)
        {
            if (!_subscriptions.Remove(Encoding.UTF8.GetString(key), out subscription)) return;
            subscription.Close();
            Account!.Unsubscribe(subscription, _changes);
        }
    }

    private void RemoveAllSubscriptions()
    {
        Subscription[] all;
        lock (_subscriptionsGate)
        {
            all = [.. _subscriptions.Values];
            _subscriptions.Clear();
        }
        foreach (var subscription in all)
        {
            subscription.Close();
            Account?.Unsubscribe(subscription, null);
        }
    }

    /// <summary>The peer's interest keys now (/leafz <c>subscriptions_list</c>).</summary>
    public IReadOnlyList<string> InterestKeys
    {
        get { lock (_subscriptionsGate) return [.. _subscriptions.Keys]; }
    }
}
