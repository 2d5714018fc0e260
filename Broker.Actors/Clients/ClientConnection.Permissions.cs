using System.Text;
using Broker.Protocol;
using Broker.Security;
using Broker.Subjects;

namespace Broker.Clients;

public sealed partial class ClientConnection
{
    /// <summary>Reply subjects this client received and may answer under allow_responses: uses left and expiry.</summary>
    private readonly Dictionary<byte[], (int Left, long ExpiresAt)> _responseGrants = new(ByteSequenceComparer.Instance);

    /// <summary>The grants' keys, reused (under the same lock) so a request delivered and answered allocates none.</summary>
    private readonly ReplyKeyPool _grantKeys = new();

    /// <summary>The authenticated user's permissions; null when unrestricted.</summary>
    public ClientPermissions? Permissions { get; private set; }

    /// <summary>
    /// The publish check, before anything is delivered. A reply subject of <c>_R_.</c> form is the
    /// server's own (service imports), so no client may use it as its reply.
    /// </summary>
    private bool MayPublish(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply)
    {
        var permissions = Permissions;
        if (permissions is not null && !permissions.CanPublish(subject) && !TryUseResponseGrant(subject))
        {
            var text = Encoding.ASCII.GetString(subject);
            _server.Log.Error($"{Description} - Publish Violation - User \"{User}\", Subject \"{text}\"");
            SendError($"Permissions Violation for Publish to \"{text}\"");
            return false;
        }
        if (!reply.IsEmpty && reply.StartsWith("_R_."u8))
        {
            var text = Encoding.ASCII.GetString(reply);
            _server.Log.Error($"{Description} - Publish Violation - User \"{User}\", Reply \"{text}\"");
            SendError($"Permissions Violation for Publish with Reply of \"{text}\"");
            return false;
        }
        return true;
    }

    private bool MaySubscribe(string subject, string? queue, ReadOnlySpan<byte> sid)
    {
        if (Permissions is null || Permissions.CanSubscribe(subject, queue)) return true;
        _server.Log.Error($"{Description} - Subscription Violation - User \"{User}\", Subject \"{subject}\"{(queue is null ? "" : $", Queue: \"{queue}\"")}, SID {Encoding.ASCII.GetString(sid)}");
        SendError(queue is null
            ? $"Permissions Violation for Subscription to \"{subject}\""
            : $"Permissions Violation for Subscription to \"{subject}\" using queue \"{queue}\"");
        return false;
    }

    /// <summary>Delivery side: a wildcard subscription does not receive subjects its user may not subscribe to.</summary>
    private bool DeliveryDenied(Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply)
    {
        var permissions = Permissions;
        if (permissions is null) return false;
        if (permissions.FiltersDeliveries && permissions.DeniesDelivery(subject, subscription.QueueText)) return true;
        if (permissions.AllowResponses is { } grant && !reply.IsEmpty)
        {
            lock (_responseGrants)
            {
                var now = Environment.TickCount64;
                var lookup = _responseGrants.GetAlternateLookup<ReadOnlySpan<byte>>();
                var granted = (grant.MaxMessages, now + (long)grant.Expires.TotalMilliseconds);
                if (lookup.ContainsKey(reply)) lookup[reply] = granted;
                else _responseGrants.Add(_grantKeys.Rent(reply), granted);
                if (_responseGrants.Count >= _sweepGrantsAt) SweepResponseGrants(now);
            }
        }
        return false;
    }

    /// <summary>nats-server prunes its reply permissions past 4096 (replyPermLimit); the same mark here.</summary>
    private const int ResponseGrantSweepMark = 4096;

    private int _sweepGrantsAt = ResponseGrantSweepMark;

    /// <summary>Number of response grants held (tests: requests never answered must not pile up).</summary>
    internal int ResponseGrantCount
    {
        get { lock (_responseGrants) return _responseGrants.Count; }
    }

    /// <summary>
    /// Drops expired grants, for requests that were never answered. The next sweep waits until the
    /// table has doubled from what is left, so sweeping stays O(1) per grant however many are live.
    /// </summary>
    private void SweepResponseGrants(long now)
    {
        foreach (var (reply, grant) in _responseGrants)
        {
            if (grant.ExpiresAt < now && _responseGrants.Remove(reply)) _grantKeys.Return(reply);
        }
        _sweepGrantsAt = Math.Max(ResponseGrantSweepMark, _responseGrants.Count * 2);
    }

    private bool TryUseResponseGrant(ReadOnlySpan<byte> subject)
    {
        if (Permissions?.AllowResponses is null) return false;
        lock (_responseGrants)
        {
            var lookup = _responseGrants.GetAlternateLookup<ReadOnlySpan<byte>>();
            if (!lookup.TryGetValue(subject, out var grant)) return false;
            if (grant.ExpiresAt < Environment.TickCount64 || grant.Left <= 0)
            {
                if (lookup.Remove(subject, out var expired, out _)) _grantKeys.Return(expired);
                return false;
            }
            if (grant.Left > 1) lookup[subject] = (grant.Left - 1, grant.ExpiresAt);
            else if (lookup.Remove(subject, out var used, out _)) _grantKeys.Return(used);
            return true;
        }
    }
}
