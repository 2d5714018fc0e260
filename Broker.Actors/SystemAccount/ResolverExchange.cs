using System.Text;
using Akka.Actor;
using Broker.Accounts;
using Broker.Configuration;
using Broker.Jwt;
using Broker.Resolvers;
using Broker.Security;
using Broker.Runtime;

namespace Broker.SystemAccount;

/// <summary>
/// The resolver's side of the system account, run by the system events actor: it answers the
/// claims requests its resolver answers in nats-server (updates, and for the built-in resolver
/// LOOKUP, LIST, DELETE, PACK), asks other servers (a cache's lookups, a full resolver's PACK
/// exchange) through its own inbox, and applies every JWT it is given through <see cref="ClaimsUpdate"/>.
/// </summary>
internal sealed class ResolverExchange
{
    /// <summary>A full resolver's first PACK request waits this long after start, so its links are likely up.</summary>
    public static readonly TimeSpan FirstPack = TimeSpan.FromSeconds(1);

    private readonly ServerContext _server;
    private readonly Account _system;
    private readonly SystemPublisher _publisher;
    private readonly IActorContext _context;
    private readonly OperatorMode _mode;
    private readonly OperatorAccounts _known;
    private readonly AccountJwtStore? _store;
    private readonly ClaimsRequests? _requests;
    private readonly string _inbox;
    private readonly Dictionary<string, (IActorRef Requester, DateTime Deadline)> _lookups = new(StringComparer.Ordinal);
    private long _nextLookup;

    public ResolverExchange(ServerContext server, Account system, SystemPublisher publisher, IActorContext context, IActorRef self)
    {
        _server = server;
        _system = system;
        _publisher = publisher;
        _context = context;
        _known = server.OperatorAccounts!;
        _mode = _known.Mode;
        _inbox = $"$SYS._INBOX.{server.ServerId}.";
        if (_mode.Resolver is { Directory: not null } options && options.IsNatsResolver)
        {
            _store = new AccountJwtStore(options);
            _requests = new ClaimsRequests(server, system, publisher, _store);
        }
        _known.LoadAccount = new AccountLoader(server, self, FetcherFor(_mode.Resolver, self)).LoadAsync;
    }

    private IAccountFetcher? FetcherFor(ResolverOptions options, IActorRef self) => options.Kind switch
    {
        ResolverKind.Url => new UrlAccountFetcher(options, _server.Log),
        ResolverKind.Full => new NatsAccountFetcher(_store!, lookup: null),
        ResolverKind.Cache => new NatsAccountFetcher(_store!, async (subject, timeout) =>
        {
            try
            {
                return (await self.Ask<LookupResult>(new LookupAccount(subject), timeout).ConfigureAwait(false)).Jwt;
            }
            catch (AskTimeoutException)
            {
                return null;
            }
        }),
        _ => null,
    };

    /// <summary>The subjects this server answers (by its resolver), and its inbox.</summary>
    public IEnumerable<string> Subjects(ResolverOptions options) => ClaimsSubjects.For(options.Kind).Append(_inbox + ">");

    /// <summary>Handles a claims request or a reply to one of ours; false when the message is something else.</summary>
    public async Task<bool> TryHandleAsync(SystemRequest request)
    {
        if (request.Subject.StartsWith(_inbox, StringComparison.Ordinal))
        {
            await OnReplyAsync(request);
            return true;
        }
        if (!ClaimsSubjects.TryParse(request.Subject, out var kind, out var account)) return false;
        try
        {
            switch (kind)
            {
                case ClaimsRequestKind.Update:
                    await UpdateAsync(request, account);
                    break;
                case ClaimsRequestKind.Lookup:
                    _requests?.Lookup(request, account!);
                    break;
                case ClaimsRequestKind.List:
                    _requests?.List(request);
                    break;
                case ClaimsRequestKind.Delete:
                    _requests?.Delete(request);
                    break;
                case ClaimsRequestKind.Pack:
                    _requests?.Pack(request);
                    break;
            }
        }
        catch (Exception e)
        {
            _server.Log.Error($"Resolver request on {request.Subject} failed: {e}");
        }
        return true;
    }

    /// <summary>
    /// An account JWT pushed by a tool or another server, answered as nats-server 2.9 does: a JWT
    /// that does not decode is an error for account "n/a"; one for another account than the
    /// subject names is refused; a URL or cache resolver only updates accounts it has loaded
    /// (others are "skipped"); a built-in resolver answers "jwt updated" without change for the JWT
    /// it has or an older one; a full store at its limit refuses new accounts.
    /// </summary>
    private async Task UpdateAsync(SystemRequest request, string? account)
    {
        var jwt = Encoding.UTF8.GetString(request.Body).Trim();
        var response = await UpdateResponseAsync(jwt, account);
        if (request.Reply.Length > 0)
        {
            _publisher.TryPublish(_system, request.Reply, sender => new ClaimsUpdateResponse { Server = sender, Data = response.Data, Error = response.Error },
                SystemJsonContext.Relaxed.ClaimsUpdateResponse);
        }
    }

    private async Task<ClaimsUpdateResponse> UpdateResponseAsync(string jwt, string? account)
    {
        if (!JwtDecoder.TryDecode<AccountClaims>(jwt, out var claims, out var decodeError)) return Failure("n/a", decodeError);
        var key = claims.Subject!;
        if (account is not null && account != key) return Failure(account, "subject does not match jwt content");
        var known = _known.TryGetValue(key, out var current);
        if (!known && _mode.Resolver.Kind is ResolverKind.Url or ResolverKind.Cache)
            return Success(key, _mode.Resolver.Kind == ResolverKind.Url ? "jwt update skipped" : "jwt update cache skipped");
        if (known && _mode.Resolver.IsNatsResolver && (current!.Id == claims.Id || current.IssuedAt > claims.IssuedAt)) return Success(key, ClaimsUpdate.Updated);
        var error = (await ApplyAsync(new ApplyClaims(jwt, account))).Error;
        return error is null ? Success(key, ClaimsUpdate.Updated) : Failure(key, error);
    }

    private static ClaimsUpdateResponse Failure(string? key, string error) =>
        new() { Error = new ClaimsUpdateError { Account = key, Description = $"jwt update resulted in error - {error}" } };

    private static ClaimsUpdateResponse Success(string? key, string message) => new() { Data = new ClaimsUpdateData { Account = key, Message = message } };

    /// <summary>Applies a JWT (pushed, fetched or merged) through the one entry for claim changes, within the store's rules.</summary>
    public async Task<ClaimsApplied> ApplyAsync(ApplyClaims request)
    {
        try
        {
            if (_store is not null && JwtDecoder.TryDecode<AccountClaims>(request.Jwt, out var claims, out _) && _store.RefusalFor(claims.Subject!) is { } refusal)
                return new ClaimsApplied(refusal);
            var (key, error) = await new ClaimsUpdate(_server, _context).ApplyAsync(request.Jwt, request.Account);
            if (error is null && key is not null && _store is not null)
            {
                _store.Touch(key);
                _store.Evict();
            }
            return new ClaimsApplied(error);
        }
        catch (Exception e)
        {
            _server.Log.Error($"Claims update failed: {e}");
            return new ClaimsApplied(e.Message);
        }
    }

    /// <summary>A cache's miss: asks the full resolvers, and answers the requester with the first JWT back (or nothing, when it times out).</summary>
    public void Lookup(LookupAccount request, IActorRef requester)
    {
        var now = DateTime.UtcNow;
        foreach (var stale in _lookups.Where(l => l.Value.Deadline < now).Select(l => l.Key).ToList()) _lookups.Remove(stale);
        var reply = $"{_inbox}L{++_nextLookup}";
        if (!_publisher.TryRequest(_system, request.Subject, reply, [])) return;
        _lookups[reply] = (requester, now + _mode.Resolver.Timeout + TimeSpan.FromSeconds(1));
    }

    /// <summary>Sends our store's hash; servers whose store differs answer with all their JWTs (see <see cref="ClaimsRequests.Pack"/>).</summary>
    public void RequestPack()
    {
        if (_store is null) return;
        _publisher.TryRequest(_system, ClaimsSubjects.Pack, _inbox + "pack", _store.Hash());
    }

    private async Task OnReplyAsync(SystemRequest reply)
    {
        if (reply.Subject == _inbox + "pack")
        {
            // An empty message ends a pack (or says the stores are equal).
            foreach (var line in Encoding.UTF8.GetString(reply.Body).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                await MergeAsync(line);
            return;
        }
        if (!_lookups.Remove(reply.Subject, out var lookup)) return;
        lookup.Requester.Tell(new LookupResult(reply.Body.Length == 0 ? null : Encoding.UTF8.GetString(reply.Body)));
    }

    /// <summary>One <c>&lt;account&gt;|&lt;jwt&gt;</c> line of a pack: kept if it is newer than ours (the same JWT, or an older one, is skipped quietly).</summary>
    private async Task MergeAsync(string line)
    {
        var bar = line.IndexOf('|');
        if (bar <= 0) return;
        var (account, jwt) = (line[..bar], line[(bar + 1)..]);
        if (!JwtDecoder.TryDecode<AccountClaims>(jwt, out var claims, out _) || claims.Subject != account) return;
        if (_known.TryGetValue(account, out var current) && (current.Id == claims.Id || current.IssuedAt >= claims.IssuedAt) && _store?.Read(account) is not null)
            return;
        var result = await ApplyAsync(new ApplyClaims(jwt, account));
        if (result.Error is { } error) _server.Log.Warn($"Account {account} from a pack not merged: {error}");
    }

    /// <summary>Ask: apply an account JWT; answered with <see cref="ClaimsApplied"/>.</summary>
    public sealed record ApplyClaims(string Jwt, string? Account);

    public sealed record ClaimsApplied(string? Error);

    /// <summary>Ask: look an account up from the full resolvers; answered with <see cref="LookupResult"/> if any answers.</summary>
    public sealed record LookupAccount(string Subject);

    public sealed record LookupResult(string? Jwt);

    public sealed class PackTick
    {
        public static readonly PackTick Instance = new();
    }
}
