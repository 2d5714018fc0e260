namespace Broker.Configuration;

/// <summary>
/// Limits on an account's clients (from an account JWT's <c>limits</c>, or the account's
/// <c>limits { }</c> block); 0 means no limit beyond the server's own, <see cref="NoneAllowed"/>
/// that none is allowed (a JWT's 0: jwt v2 writes unlimited as -1). Subscriptions and payload
/// apply per connection, as nats-server applies them.
/// </summary>
public sealed record AccountLimits(int MaxConnections, int MaxSubscriptions, int MaxPayload)
{
    public static AccountLimits None { get; } = new(0, 0, 0);

    /// <summary>A limit of zero: not one connection, subscription or payload byte.</summary>
    public const int NoneAllowed = -1;

    /// <summary>The tighter of two limits where 0 means none and <see cref="NoneAllowed"/> is the tightest.</summary>
    public static int Tighter(int a, int b) => a == 0 ? b : b == 0 ? a : a < 0 || b < 0 ? NoneAllowed : Math.Min(a, b);

    /// <summary>A JWT limit as ours: negative (-1) unlimited, 0 none allowed, as nats-server 2.9 reads jwt v2.</summary>
    public static int FromJwt(long value) => value < 0 || value > int.MaxValue ? 0 : value == 0 ? NoneAllowed : (int)value;

    /// <summary>Whether <paramref name="count"/> in use leaves no room under <paramref name="limit"/> for one more.</summary>
    public static bool Reached(int limit, int count) => limit != 0 && count >= Math.Max(limit, 0);

    /// <summary>A payload limit as the parser takes it (a size above it is a violation): <see cref="NoneAllowed"/> admits only empty payloads.</summary>
    public static int PayloadBound(int limit) => Math.Max(limit, 0);
}
