using Broker.Jwt;
using Broker.Protocol;
using Broker.Security;

namespace Broker.LeafNodes;

/// <summary>
/// A leaf that connected to this hub with a user JWT (a <c>.creds</c> file) is held to the same
/// live JWT effects as a client of that user, as nats-server 2.9 (its leaf is a client of the
/// account there): revoked, bearer disallowed, its signing key withdrawn, its user JWT or time
/// window or account JWT run out. A lowered <c>leaf</c> limit closes no open link (nats-server 2.9.10
/// was seen to keep them: LiveLeafClaimsTests). One timer task per such link, re-armed when the account changes;
/// nothing on the message path.
/// </summary>
public sealed partial class LeafConnection
{
    /// <summary>The longest single wait; past it the timer looks again (a JWT may expire in years).</summary>
    private static readonly TimeSpan LongestExpiryWait = TimeSpan.FromDays(1);

    private UserClaims? _userJwt;
    private long _userExpiresAt;
    private long _accountExpiresAt;
    private int _expiryGeneration;

    /// <summary>The user JWT the leaf authenticated with on this hub; null for other leaves and on the leaf side.</summary>
    internal UserClaims? UserJwt => _userJwt;

    /// <summary>Arms the expiry of the leaf's user (and its account) as the link is established.</summary>
    private void StartExpiry(UserClaims user, AccountClaims? account)
    {
        _userJwt = user;
        Volatile.Write(ref _userExpiresAt, JwtExpiry.UserDue(user, account, DateTimeOffset.UtcNow));
        Volatile.Write(ref _accountExpiresAt, JwtExpiry.AccountDue(account));
        ArmExpiry();
    }

    /// <summary>The account's JWT was replaced: the user is re-checked and the account's expiry re-armed.</summary>
    internal void ApplyAccountClaims(AccountClaims account, IReadOnlySet<string> withdrawnSigners)
    {
        if (IsClosed || _userJwt is not { } user) return;
        Volatile.Write(ref _accountExpiresAt, JwtExpiry.AccountDue(account));
        ArmExpiry();
        switch (UserStanding.Of(user, account, withdrawnSigners))
        {
            case UserStandingVerdict.BearerDisallowed:
                Close("Authentication Failure", ProtocolErrors.AuthorizationViolation);
                break;
            case UserStandingVerdict.Revoked:
                Close("Credentials Revoked", ProtocolErrors.UserRevoked);
                break;
            case UserStandingVerdict.SignerWithdrawn:
                _server.Log.Debug($"{Description} - user JWT issuer no longer valid");
                Close("Authentication Failure");
                break;
        }
    }

    /// <summary>
    /// Whether the account's JWT <c>leaf</c> limit has no room for this link (0: none allowed), as
    /// nats-server 2.9 checks when a leaf binds to the account; counted over the account's open links.
    /// </summary>
    private bool OverAccountLeafLimit(Accounts.Account account)
    {
        if (_server.OperatorAccounts?.Find(account.Name)?.Nats.Limits is not { } limits) return false;
        var limit = Configuration.AccountLimits.FromJwt(limits.LeafNodeConnections);
        return limit != 0 && Configuration.AccountLimits.Reached(limit, _leafs.Connections.Count(l => !ReferenceEquals(l, this) && l.Account == account && !l.IsClosed));
    }

    private void ArmExpiry()
    {
        var generation = Interlocked.Increment(ref _expiryGeneration);
        var due = JwtExpiry.Earlier(Volatile.Read(ref _userExpiresAt), Volatile.Read(ref _accountExpiresAt));
        if (due != 0) _ = ExpireAsync(due, generation);
    }

    /// <summary>Waits until <paramref name="due"/>, then closes the link unless it was re-armed (a newer generation) or closed meanwhile.</summary>
    private async Task ExpireAsync(long due, int generation)
    {
        try
        {
            while (true)
            {
                var wait = TimeSpan.FromMilliseconds(due - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                if (wait <= TimeSpan.Zero) break;
                await Task.Delay(wait < LongestExpiryWait ? wait : LongestExpiryWait, _closing.Token).ConfigureAwait(false);
                if (generation != Volatile.Read(ref _expiryGeneration)) return;
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (IsClosed || generation != Volatile.Read(ref _expiryGeneration)) return;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var user = Volatile.Read(ref _userExpiresAt);
        Close("Authentication Expired", user != 0 && user <= now ? ProtocolErrors.UserExpired : ProtocolErrors.AccountExpired);
    }
}
