namespace Broker.Resolvers;

/// <summary>
/// The built-in NATS resolver's fetch: the store's own file first; a cache then asks the full
/// resolvers with <c>$SYS.REQ.ACCOUNT.&lt;id&gt;.CLAIMS.LOOKUP</c> (the first answer wins; none within
/// the timeout means not found).
/// </summary>
public sealed class NatsAccountFetcher(AccountJwtStore store, Func<string, TimeSpan, Task<string?>>? lookup) : IAccountFetcher
{
    public async Task<string?> FetchAsync(string account, CancellationToken cancellation)
    {
        if (store.Read(account) is { } stored) return stored;
        if (lookup is null) return null;
        var jwt = await lookup(LookupSubject(account), store.Options.Timeout).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(jwt) ? null : jwt.Trim();
    }

    public static string LookupSubject(string account) => $"$SYS.REQ.ACCOUNT.{account}.CLAIMS.LOOKUP";
}
