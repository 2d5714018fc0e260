namespace Broker.Configuration;

/// <summary>
/// Limits on an account's clients (from an account JWT's <c>limits</c>, or the account's
/// <c>limits { }</c> block); 0 means no limit beyond the server's own. Subscriptions and payload
/// apply per connection, as nats-server applies them.
/// </summary>
public sealed record AccountLimits(int MaxConnections, int MaxSubscriptions, int MaxPayload)
{
    public static AccountLimits None { get; } = new(0, 0, 0);

    /// <summary>The tighter of two limits where 0 (or less) means none.</summary>
    public static int Tighter(int a, int b) => a <= 0 ? b : b <= 0 ? a : Math.Min(a, b);

    /// <summary>A JWT limit (-1 unlimited) as ours.</summary>
    public static int FromJwt(long value) => value <= 0 || value > int.MaxValue ? 0 : (int)value;
}
