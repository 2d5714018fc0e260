using Broker.Jwt;

namespace Broker.Security;

/// <summary>
/// When an operator-mode connection's JWTs run out, in Unix milliseconds (0: never): the user's
/// <c>exp</c> or the end of the <c>times</c> window it connected in, and the account's <c>exp</c>.
/// One computation for clients and leaf links.
/// </summary>
internal static class JwtExpiry
{
    public static long UserDue(UserClaims user, AccountClaims? account, DateTimeOffset now)
    {
        var expires = user.Expires > 0 ? user.Expires * 1000 : 0;
        var limits = account is null ? user.Nats : JwtAuthentication.LimitsOf(user, account);
        var windowEnd = JwtConnectionLimits.WindowEnd(limits, now)?.ToUnixTimeMilliseconds() ?? 0;
        return Earlier(expires, windowEnd);
    }

    public static long AccountDue(AccountClaims? account) => account is { Expires: > 0 } ? account.Expires * 1000 : 0;

    public static long Earlier(long a, long b) => a == 0 ? b : b == 0 ? a : Math.Min(a, b);
}
