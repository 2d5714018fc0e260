using System.Text;
using Broker.Configuration;
using Broker.Jwt;
using Broker.NKeys;

namespace Broker.Security;

/// <summary>
/// Operator mode: a client presents a user JWT and signs the INFO nonce with the user's seed. The
/// JWT must be signed by an account this operator vouched for (or one of its signing keys), be
/// valid now and not revoked; its permissions (or the account's defaults) apply.
/// </summary>
internal sealed class JwtAuthentication(OperatorAccounts accounts)
{
    public AuthenticatedClient? Authenticate(Protocol.ConnectOptions connect, string? nonce, System.Net.IPAddress? remote)
    {
        if (connect.Jwt is null || !JwtDecoder.TryDecode<UserClaims>(connect.Jwt, out var user, out _)) return null;
        if (user.AccountKey is not { } accountKey || accounts.Mode.IsPinnedOut(accountKey) || !accounts.TryGetValue(accountKey, out var account)) return null;
        var now = DateTimeOffset.UtcNow;
        if (JwtTrust.CheckUser(user, account, now) != JwtVerdict.Valid) return null;
        var limits = LimitsOf(user, account);
        if (!JwtConnectionLimits.Allow(limits, remote, now)) return null;
        // A bearer token needs no signature; any other user proves it holds the seed of its key.
        if (!user.IsBearerToken && (nonce is null || !NonceSignature.Verify(user.Subject, Encoding.ASCII.GetBytes(nonce), connect.Sig))) return null;
        var permissions = PermissionsOf(limits.Pub, limits.Sub, limits.Resp)
                          ?? PermissionsOf(account.Nats.DefaultPermissions?.Pub, account.Nats.DefaultPermissions?.Sub, account.Nats.DefaultPermissions?.Resp);
        return new AuthenticatedClient(user.Subject, accountKey, permissions)
        {
            MaxSubscriptions = AccountLimits.FromJwt(limits.Subs),
            MaxPayload = AccountLimits.FromJwt(limits.Payload),
            Jwt = user,
        };
    }

    /// <summary>Whether the user's account is not known yet but the resolver may fetch it (so checking takes a round trip).</summary>
    public bool NeedsLoad(Protocol.ConnectOptions connect) =>
        accounts.LoadAccount is not null && connect.Jwt is not null && JwtDecoder.TryDecode<UserClaims>(connect.Jwt, out var user, out _)
        && user.AccountKey is { } accountKey && !accounts.Mode.IsPinnedOut(accountKey) && !accounts.ContainsKey(accountKey);

    /// <summary>As <see cref="Authenticate"/>, after asking the resolver for the user's account if it is not known yet.</summary>
    public async Task<AuthenticatedClient?> AuthenticateAsync(Protocol.ConnectOptions connect, string? nonce, System.Net.IPAddress? remote)
    {
        if (NeedsLoad(connect) && JwtDecoder.TryDecode<UserClaims>(connect.Jwt, out var user, out _) && !await accounts.LoadAccount!(user.AccountKey!).ConfigureAwait(false))
            return null;
        return Authenticate(connect, nonce, remote);
    }

    /// <summary>
    /// The permissions and limits a user gets: its own, or, when a scoped signing key signed it, the
    /// scope's template (as nats-server; a scoped user carries none of its own).
    /// </summary>
    internal static UserPermissionLimits LimitsOf(UserClaims user, AccountClaims account) =>
        user.Issuer != account.Subject && account.ScopeOf(user.Issuer) is { } scope ? scope.Template : user.Nats;

    private static PermissionsOptions? PermissionsOf(Permission? publish, Permission? subscribe, ResponsePermission? responses)
    {
        if ((publish is null || publish.IsEmpty) && (subscribe is null || subscribe.IsEmpty) && responses is null) return null;
        return new PermissionsOptions
        {
            Publish = SubjectsOf(publish),
            Subscribe = SubjectsOf(subscribe),
            AllowResponses = responses is null ? null : new ResponsePermissionOptions(
                responses.MaxMessages > 0 ? responses.MaxMessages : 1,
                responses.Ttl > TimeSpan.Zero ? responses.Ttl : ResponsePermissionOptions.Default.Expires),
        };
    }

    private static SubjectPermissionOptions? SubjectsOf(Permission? permission) =>
        permission is null || permission.IsEmpty
            ? null
            : new SubjectPermissionOptions(permission.Allow is { Count: > 0 } allow ? allow : null, permission.Deny is { Count: > 0 } deny ? deny : null);
}
