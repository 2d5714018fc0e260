using Akka.Actor;
using Broker.Jwt;
using Broker.Protocol;
using Broker.Security;

namespace Broker.Clients;

/// <summary>
/// When an operator-mode connection's JWTs run out, as nats-server 2.9: the user JWT's <c>exp</c>,
/// or the end of the <c>times</c> window it connected in, closes it with
/// <c>-ERR 'User Authentication Expired'</c>; the account JWT's <c>exp</c> with
/// <c>-ERR 'Account Authentication Expired'</c>. One timer of the connection's actor, due at the
/// earlier of the two and re-armed when the account JWT is replaced: nothing on the message path.
/// </summary>
public sealed partial class ClientConnection
{
    /// <summary>The longest single wait; past it the timer re-arms (a JWT may expire in years).</summary>
    private static readonly TimeSpan LongestExpiryWait = TimeSpan.FromDays(1);

    /// <summary>Unix milliseconds; 0: none. Written by CONNECT and by account updates, read by the timer.</summary>
    private long _userExpiresAt;
    private long _accountExpiresAt;

    /// <summary>The user JWT this connection authenticated with (operator mode); null otherwise.</summary>
    internal UserClaims? UserJwt => _identity?.Jwt;

    /// <summary>Arms the expiry of a JWT user that just authenticated in <paramref name="account"/>.</summary>
    private void StartExpiry(UserClaims user, AccountClaims? account)
    {
        var now = DateTimeOffset.UtcNow;
        Volatile.Write(ref _userExpiresAt, JwtExpiry.UserDue(user, account, now));
        Volatile.Write(ref _accountExpiresAt, JwtExpiry.AccountDue(account));
        ArmExpiry(now);
    }

    /// <summary>The account's JWT was replaced: its expiry (if any) now counts.</summary>
    internal void AccountExpiryChanged(AccountClaims account)
    {
        Volatile.Write(ref _accountExpiresAt, JwtExpiry.AccountDue(account));
        ArmExpiry(DateTimeOffset.UtcNow);
    }

    private void ArmExpiry(DateTimeOffset now)
    {
        var due = JwtExpiry.Earlier(Volatile.Read(ref _userExpiresAt), Volatile.Read(ref _accountExpiresAt));
        if (due == 0) return;
        var wait = TimeSpan.FromMilliseconds(Math.Max(0, due - now.ToUnixTimeMilliseconds()));
        _actor.Tell(new ClientActor.ArmExpiry(wait < LongestExpiryWait ? wait : LongestExpiryWait), ActorRefs.NoSender);
    }

    /// <summary>The expiry timer fired: closes the connection whose user or account JWT ran out, else waits on.</summary>
    internal void OnExpiryDue()
    {
        if (IsClosed) return;
        var now = DateTimeOffset.UtcNow;
        var nowMs = now.ToUnixTimeMilliseconds();
        var user = Volatile.Read(ref _userExpiresAt);
        var account = Volatile.Read(ref _accountExpiresAt);
        if (user != 0 && user <= nowMs) Expire(ProtocolErrors.UserExpired);
        else if (account != 0 && account <= nowMs) Expire(ProtocolErrors.AccountExpired);
        else ArmExpiry(now);
    }

    private void Expire(string error)
    {
        _server.Log.Debug($"{Description} - {error}");
        Close(CloseReason.AuthenticationExpired, error);
    }
}
