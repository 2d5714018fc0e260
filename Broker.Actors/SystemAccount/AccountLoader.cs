using System.Collections.Concurrent;
using Akka.Actor;
using Broker.Resolvers;
using Broker.Runtime;

namespace Broker.SystemAccount;

/// <summary>
/// Loads an account not yet known when one of its users connects, as nats-server's
/// <c>lookupAccount</c>: the resolver fetches its JWT, which is applied like an update. Connects
/// for the same account at once share one fetch; a failure is not remembered, so the next
/// connect asks again.
/// </summary>
internal sealed class AccountLoader(ServerContext server, IActorRef events, IAccountFetcher? fetcher)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<bool>>> _loading = new(StringComparer.Ordinal);

    public Task<bool> LoadAsync(string account)
    {
        if (fetcher is null) return Task.FromResult(false);
        var load = _loading.GetOrAdd(account, key => new Lazy<Task<bool>>(() => LoadOnceAsync(key)));
        return load.Value;
    }

    private async Task<bool> LoadOnceAsync(string account)
    {
        try
        {
            var jwt = await fetcher!.FetchAsync(account, CancellationToken.None).ConfigureAwait(false);
            if (jwt is null)
            {
                server.Log.Debug($"Account {account} not found by the resolver");
                return false;
            }
            var applied = await events.Ask<ResolverExchange.ClaimsApplied>(new ResolverExchange.ApplyClaims(jwt, account), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            if (applied.Error is { } error) server.Log.Warn($"Account {account} fetched but not accepted: {error}");
            return applied.Error is null;
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            server.Log.Warn($"Account {account} not loaded: {e.Message}");
            return false;
        }
        finally
        {
            _loading.TryRemove(account, out _);
        }
    }
}
