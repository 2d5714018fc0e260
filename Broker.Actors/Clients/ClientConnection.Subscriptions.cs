using Broker.Protocol;
using Broker.Subjects;

namespace Broker.Clients;

public sealed partial class ClientConnection
{
    private readonly Dictionary<byte[], Subscription> _subscriptions = new(ByteSequenceComparer.Instance);
    private readonly object _subscriptionsGate = new();

    public int SubscriptionCount
    {
        get { lock (_subscriptionsGate) return _subscriptions.Count; }
    }

    private void OnSubscribe(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> queue, ReadOnlySpan<byte> sid)
    {
        var max = _maxSubscriptions;
        Subscription subscription;
        lock (_subscriptionsGate)
        {
            // A close on another thread (a slow consumer's) has emptied, or will empty, the table: nothing may join it now.
            if (IsClosed) return;
            if (Configuration.AccountLimits.Reached(max, _subscriptions.Count))
            {
                _server.Log.Error($"{Description} - {ProtocolErrors.MaxSubscriptionsExceeded}");
                SendError(ProtocolErrors.MaxSubscriptionsExceeded);
                return;
            }
            if (!SubjectValidator.IsValidSubscribeSubject(subject) || (!queue.IsEmpty && !SubjectValidator.IsValidPublishSubject(queue)))
            {
                SendError(ProtocolErrors.InvalidSubject);
                return;
            }
            if (Permissions is not null && !MaySubscribe(System.Text.Encoding.ASCII.GetString(subject), queue.IsEmpty ? null : System.Text.Encoding.ASCII.GetString(queue), sid))
            {
                return;
            }
            if (_subscriptions.GetAlternateLookup<ReadOnlySpan<byte>>().ContainsKey(sid))
            {
                // nats-server keeps the first subscription of a reused sid and acknowledges the second.
                if (Options.Verbose) SendProtocol(ProtocolBytes.Ok);
                return;
            }
            subscription = new Subscription(this, subject.ToArray(), queue.IsEmpty ? null : queue.ToArray(), sid.ToArray());
            _subscriptions.Add(subscription.Sid, subscription);
            // Under the lock: a close that follows sends its removal after this addition, to the same shard.
            Account.Subscribe(subscription, _changes);
        }
        if (Options.Verbose) SendProtocol(ProtocolBytes.Ok);
    }

    private void OnUnsubscribe(ReadOnlySpan<byte> sid, long max)
    {
        Subscription? subscription;
        lock (_subscriptionsGate)
        {
            _subscriptions.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(sid, out subscription);
        }
        var removed = subscription is not null && (max <= 0 || subscription.SetMax(max));
        if (removed) RemoveSubscription(subscription!);
        if (Options.Verbose) SendProtocol(ProtocolBytes.Ok);
        if (removed && _server.Log.IsTraceEnabled) _server.Log.Trace($"{Description} - <-> [DELSUB {System.Text.Encoding.UTF8.GetString(sid)}]");
    }

    public override void OnAutoUnsubscribed(Subscription subscription) => RemoveSubscription(subscription);

    private void RemoveSubscription(Subscription subscription)
    {
        subscription.Close();
        lock (_subscriptionsGate)
        {
            // The sid may already name a newer subscription; only this one goes.
            if (!_subscriptions.TryGetValue(subscription.Sid, out var current) || !ReferenceEquals(current, subscription)) return;
            _subscriptions.Remove(subscription.Sid);
        }
        Account.Unsubscribe(subscription, _changes);
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
            Account.Unsubscribe(subscription, null);
        }
    }
}
