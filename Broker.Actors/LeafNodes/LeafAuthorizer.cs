using System.Security.Cryptography;
using System.Text;
using Broker.Accounts;
using Broker.Configuration;
using Broker.Security;

namespace Broker.LeafNodes;

/// <summary>
/// Which account (and user permissions) a leaf's CONNECT binds to on this hub, or null when it is refused:
/// <c>leafnodes.authorization</c>'s user or users first; else the clients' users (a leaf may
/// present a client user's credentials). A leaf without credentials on a hub whose clients must
/// authenticate is refused unless <c>leafnodes.authorization.account</c> or <c>no_auth_user</c>
/// names where it goes: nats-server 2.9 silently bound it to <c>$G</c>, which 2.12 fixed.
/// </summary>
internal static class LeafAuthorizer
{
    public static AuthenticatedClient? Authorize(LeafConnect connect, LeafNodeOptions leaf, BrokerOptions options, ClientAuthenticator clients, string? nonce)
    {
        if (leaf.User is not null)
        {
            return SameSecret(leaf.User, connect.User) && PasswordMatches(leaf.Password!, connect.Pass) ? Bound(leaf.Account ?? AccountNames.Global) : null;
        }
        if (leaf.Users.Count > 0)
        {
            var user = leaf.Users.FirstOrDefault(u => u.Name == connect.User);
            return user is not null && PasswordMatches(user.Password, connect.Pass) ? Bound(user.Account) : null;
        }
        if (!clients.AuthRequired) return Bound(leaf.Account ?? AccountNames.Global);
        // A client user's permissions become what the leaf may import (subscribe) and export (publish).
        if (connect.HasCredentials) return clients.Authenticate(connect.AsClientCredentials(), nonce);
        if (leaf.Account is not null) return Bound(leaf.Account);
        // no_auth_user: the bare leaf is that user, as a bare client is.
        return options.NoAuthUser is null ? null : clients.Authenticate(new Protocol.ConnectOptions(), nonce);
    }

    private static AuthenticatedClient Bound(string account) => new(null, account);

    private static bool PasswordMatches(string configured, string? given)
    {
        given ??= "";
        if (configured.StartsWith("$2", StringComparison.Ordinal))
        {
            try
            {
                return BCrypt.Net.BCrypt.Verify(given, configured);
            }
            catch (Exception e) when (e is BCrypt.Net.SaltParseException or ArgumentException)
            {
                return false;
            }
        }
        return SameSecret(configured, given);
    }

    private static bool SameSecret(string expected, string? given)
    {
        var a = Encoding.UTF8.GetBytes(expected);
        var b = Encoding.UTF8.GetBytes(given ?? "");
        return a.Length == b.Length && CryptographicOperations.FixedTimeEquals(a, b);
    }
}
