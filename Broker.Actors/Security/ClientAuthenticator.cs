using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Broker.Accounts;
using Broker.Configuration;
using Broker.Protocol;

namespace Broker.Security;

/// <summary>
/// Decides, from a client's CONNECT, which account it belongs to: by token, or by user and
/// password (plain or bcrypt), or as the no-auth user. Secrets are compared in constant time and
/// never logged. Without any token or user configured, every client is in <c>$G</c>.
/// </summary>
public sealed class ClientAuthenticator
{
    private readonly Dictionary<string, UserOptions> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserOptions> _nkeys = new(StringComparer.Ordinal);
    private readonly byte[]? _token;
    private readonly string? _noAuthUser;
    private readonly JwtAuthentication? _jwt;
    private readonly bool _verifyAndMap;

    /// <param name="operatorAccounts">The server's run-time accounts, required when <paramref name="options"/> have an operator.</param>
    public ClientAuthenticator(BrokerOptions options, OperatorAccounts? operatorAccounts = null)
    {
        foreach (var user in options.Users.Concat(options.Accounts.SelectMany(a => a.Users)))
        {
            if (user.Nkey is not null) _nkeys[user.Nkey] = user;
            else _users[user.Name] = user;
        }
        _token = options.Token is null ? null : Encoding.UTF8.GetBytes(options.Token);
        _noAuthUser = options.NoAuthUser;
        if (options.Operator is not null) _jwt = new JwtAuthentication(operatorAccounts ?? throw new ArgumentException("an operator needs the server's operator accounts", nameof(operatorAccounts)));
        _verifyAndMap = options.Tls?.VerifyAndMap ?? false;
    }

    /// <summary>Whether clients must authenticate (INFO's <c>auth_required</c>).</summary>
    public bool AuthRequired => _token is not null || _users.Count > 0 || _nkeys.Count > 0 || _jwt is not null;

    /// <summary>Whether INFO carries a nonce for clients to sign (NKey or JWT users exist).</summary>
    public bool NeedsNonce => _nkeys.Count > 0 || _jwt is not null;

    /// <summary>Whether checking these credentials is slow (a bcrypt password, a JWT account to fetch), so the caller should not block an I/O thread on it.</summary>
    public bool IsSlow(ConnectOptions connect) =>
        (connect.User is { } name && _users.TryGetValue(name, out var user) && user.Password.StartsWith("$2", StringComparison.Ordinal))
        || _jwt?.NeedsLoad(connect) == true;

    /// <summary>As <see cref="Authenticate"/>, for credentials <see cref="IsSlow"/> says take time: a JWT user's account is fetched first if it must be.</summary>
    public Task<AuthenticatedClient?> AuthenticateSlowAsync(ConnectOptions connect, string? nonce, X509Certificate2? certificate, System.Net.IPAddress? remote) =>
        _jwt is not null ? _jwt.AuthenticateAsync(connect, nonce, remote) : Task.FromResult(Authenticate(connect, nonce, certificate, remote));

    /// <summary>The configured user or NKey user named <paramref name="name"/> (an NKey user's name is its key); null when there is none.</summary>
    public UserOptions? Find(string name) => _users.GetValueOrDefault(name) ?? _nkeys.GetValueOrDefault(name);

    /// <summary>The account of an authenticated client, or null when its credentials are refused.</summary>
    public AuthenticatedClient? Authenticate(ConnectOptions connect, string? nonce = null, X509Certificate2? certificate = null, System.Net.IPAddress? remote = null)
    {
        if (!AuthRequired) return new AuthenticatedClient(null, AccountNames.Global);
        if (_jwt is not null) return _jwt.Authenticate(connect, nonce, remote);
        if (_verifyAndMap)
        {
            // verify_and_map: the verified certificate names the user; no password is asked.
            var mapped = certificate is null ? null : CertificateIdentities.Of(certificate).Select(n => _users.GetValueOrDefault(n)).FirstOrDefault(u => u is not null);
            return mapped is null ? null : new AuthenticatedClient(mapped.Name, mapped.Account, mapped.Permissions);
        }
        if (connect.Nkey is { } nkey && _nkeys.Count > 0)
        {
            // The client signs the nonce of its own INFO: a signature cannot be replayed on another connection.
            return nonce is not null && _nkeys.TryGetValue(nkey, out var nkeyUser) && NKeys.NonceSignature.Verify(nkey, Encoding.ASCII.GetBytes(nonce), connect.Sig)
                ? new AuthenticatedClient(nkeyUser.Name, nkeyUser.Account, nkeyUser.Permissions)
                : null;
        }
        if (_token is not null)
        {
            return connect.AuthToken is { } token && FixedTimeEquals(_token, Encoding.UTF8.GetBytes(token))
                ? new AuthenticatedClient(null, AccountNames.Global)
                : null;
        }
        if (string.IsNullOrEmpty(connect.User))
        {
            // nats-server's no_auth_user: a client with no credentials at all is that user.
            var bare = string.IsNullOrEmpty(connect.Pass) && connect.AuthToken is null && connect.Nkey is null && connect.Jwt is null;
            return bare && _noAuthUser is not null && (_users.TryGetValue(_noAuthUser, out var anonymous) || _nkeys.TryGetValue(_noAuthUser, out anonymous))
                ? new AuthenticatedClient(anonymous.Name, anonymous.Account, anonymous.Permissions)
                : null;
        }
        if (!_users.TryGetValue(connect.User, out var user)) return null;
        return PasswordMatches(user.Password, connect.Pass ?? "") ? new AuthenticatedClient(user.Name, user.Account, user.Permissions) : null;
    }

    private static bool PasswordMatches(string configured, string given)
    {
        if (configured.StartsWith("$2", StringComparison.Ordinal))
        {
            try
            {
                return BCrypt.Net.BCrypt.Verify(given, configured);
            }
            catch (Exception e) when (e is BCrypt.Net.SaltParseException or ArgumentException)
            {
                // The loader refuses malformed hashes; this keeps a bad one from ever taking down the read loop.
                return false;
            }
        }
        return FixedTimeEquals(Encoding.UTF8.GetBytes(configured), Encoding.UTF8.GetBytes(given));
    }

    private static bool FixedTimeEquals(byte[] expected, byte[] given) =>
        expected.Length == given.Length && CryptographicOperations.FixedTimeEquals(expected, given);
}

/// <summary>Who a client turned out to be: its user (if any) and account.</summary>
public sealed record AuthenticatedClient(string? User, string Account, PermissionsOptions? Permissions = null)
{
    /// <summary>A JWT user's own limits (subscriptions, payload); 0: none.</summary>
    public int MaxSubscriptions { get; init; }
    public int MaxPayload { get; init; }

    /// <summary>The user JWT it presented (operator mode): an account update or its expiry re-checks it.</summary>
    public Jwt.UserClaims? Jwt { get; init; }
}
