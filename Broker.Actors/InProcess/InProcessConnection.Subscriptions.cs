using Broker.Clients;
using Broker.Runtime;
using System.Text;
using Broker.Monitoring;
using Broker.Subjects;

namespace Broker.InProcess;

public sealed partial class InProcessConnection
{
    private readonly Dictionary<long, InProcessSubscriber> _subscriptions = new();
    private readonly object _subscriptionsGate = new();
    private readonly PendingChanges _changes = new();
    private readonly int _maxSubscriptions;
    private long _nextSid;

    public int SubscriptionCount
    {
        get { lock (_subscriptionsGate) return _subscriptions.Count; }
    }

    /// <summary>Bytes held by this connection's stream buffers, not yet pulled (/connz <c>pending_bytes</c>).</summary>
    public long PendingBytes
    {
        get
        {
            lock (_subscriptionsGate) return _subscriptions.Values.Sum(s => s.PendingBytes);
        }
    }

    /// <summary>
    /// Puts a target's subscription into the account's index, with the checks a network SUB gets;
    /// the task completes once publishers see it.
    /// </summary>
    internal Task AddSubscription(InProcessSubscriber target, string subject, string? queue, long maxMessages)
    {
        var subjectBytes = Encoding.ASCII.GetBytes(subject);
        var queueBytes = queue is null ? null : Encoding.ASCII.GetBytes(queue);
        if (!SubjectValidator.IsValidSubscribeSubject(subjectBytes) || (queueBytes is not null && !SubjectValidator.IsValidPublishSubject(queueBytes)))
            throw new InvalidOperationForBrokerException(Protocol.ProtocolErrors.InvalidSubject);
        if (Permissions is not null && !Permissions.CanSubscribe(subject, queue))
        {
            _server.Log.Error($"{Description} - Subscription Violation - User \"{User}\", Subject \"{subject}\"{(queue is null ? "" : $", Queue: \"{queue}\"")}");
            throw new PermissionViolationException(queue is null
                ? $"Permissions Violation for Subscription to \"{subject}\""
                : $"Permissions Violation for Subscription to \"{subject}\" using queue \"{queue}\"");
        }
        lock (_subscriptionsGate)
        {
            ThrowIfClosed();
            if (Configuration.AccountLimits.Reached(_maxSubscriptions, _subscriptions.Count))
            {
                _server.Log.Error($"{Description} - {Protocol.ProtocolErrors.MaxSubscriptionsExceeded}");
                throw new InvalidOperationForBrokerException(Protocol.ProtocolErrors.MaxSubscriptionsExceeded);
            }
            var sid = ++_nextSid;
            var subscription = new Subscription(target, subjectBytes, queueBytes, Encoding.ASCII.GetBytes(sid.ToString()));
            if (maxMessages > 0) subscription.SetMax(maxMessages);
            target.Attach(this, subscription, sid);
            _subscriptions.Add(sid, target);
            // Under the lock: a close that follows sends its removal after this addition.
            Account.Subscribe(subscription, _changes);
        }
        return _changes.WhenAllApplied();
    }

    /// <summary>Takes a target's subscription out of the index (its stream or actor is told it ended). Idempotent.</summary>
    internal void RemoveSubscription(InProcessSubscriber target)
    {
        var subscription = target.Subscription;
        if (subscription is null) return;
        subscription.Close();
        bool removed;
        lock (_subscriptionsGate) removed = _subscriptions.Remove(target.Sid);
        if (removed) Account.Unsubscribe(subscription, _changes);
        target.Ended();
    }

    private void RemoveAllSubscriptions()
    {
        InProcessSubscriber[] all;
        lock (_subscriptionsGate)
        {
            all = [.. _subscriptions.Values];
            _subscriptions.Clear();
        }
        foreach (var target in all)
        {
            target.Subscription!.Close();
            Account.Unsubscribe(target.Subscription, null);
            target.Ended();
        }
    }

    private SubscriptionSnapshot[] SubscriptionSnapshots()
    {
        lock (_subscriptionsGate) return [.. _subscriptions.Values.Select(s => SubscriptionSnapshot.Of(s.Subscription!))];
    }

    /// <summary>Delivery side: a wildcard subscription does not receive subjects its user may not subscribe to.</summary>
    internal bool DeliveryDenied(Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply)
    {
        var permissions = Permissions;
        if (permissions is null) return false;
        if (permissions.FiltersDeliveries && permissions.DeniesDelivery(subject, subscription.QueueText)) return true;
        if (permissions.AllowResponses is { } grant && !reply.IsEmpty)
        {
            var key = Encoding.ASCII.GetString(reply);
            var now = Environment.TickCount64;
            lock (_responseGrants)
            {
                _responseGrants[key] = (grant.MaxMessages, now + (long)grant.Expires.TotalMilliseconds);
                if (_responseGrants.Count >= _sweepGrantsAt) SweepResponseGrants(now);
            }
        }
        return false;
    }

    /// <summary>allow_responses: reply subjects this connection received, with uses left and expiry (as a network client keeps them).</summary>
    private readonly Dictionary<string, (int Left, long ExpiresAt)> _responseGrants = new(StringComparer.Ordinal);

    /// <summary>nats-server prunes its reply permissions past 4096 (replyPermLimit); a network client sweeps at the same mark.</summary>
    private const int ResponseGrantSweepMark = 4096;

    private int _sweepGrantsAt = ResponseGrantSweepMark;

    /// <summary>Number of response grants held (tests: requests never answered must not pile up).</summary>
    internal int ResponseGrantCount
    {
        get { lock (_responseGrants) return _responseGrants.Count; }
    }

    /// <summary>Drops expired grants; the next sweep waits until the table has doubled from what is left (O(1) per grant).</summary>
    private void SweepResponseGrants(long now)
    {
        foreach (var (reply, grant) in _responseGrants)
        {
            if (grant.ExpiresAt < now) _responseGrants.Remove(reply);
        }
        _sweepGrantsAt = Math.Max(ResponseGrantSweepMark, _responseGrants.Count * 2);
    }

    private bool TryUseResponseGrant(ReadOnlySpan<byte> subject)
    {
        if (Permissions?.AllowResponses is null) return false;
        var key = Encoding.ASCII.GetString(subject);
        lock (_responseGrants)
        {
            if (!_responseGrants.TryGetValue(key, out var grant)) return false;
            if (grant.ExpiresAt < Environment.TickCount64 || grant.Left <= 0)
            {
                _responseGrants.Remove(key);
                return false;
            }
            if (grant.Left == 1) _responseGrants.Remove(key);
            else _responseGrants[key] = (grant.Left - 1, grant.ExpiresAt);
            return true;
        }
    }
}
