using Akka.Configuration.Hocon;
using Broker.Jwt;
using Broker.NKeys;

namespace Broker.Configuration;

/// <summary>
/// nats-server's operator mode: <c>operator</c> (a JWT or a file holding one), <c>resolver:
/// MEMORY</c> with <c>resolver_preload { KEY: JWT }</c>, <c>resolver: URL(...)</c>, or
/// <c>resolver { type: full|cache, dir, ... }</c>, with <c>resolver_tls</c> and <c>resolver_pinned_accounts</c>.
/// Every account JWT is verified against the operator at load and becomes an account whose
/// exports and imports come from its claims (private exports open only to importers holding a
/// valid activation token).
/// </summary>
public static partial class BrokerConfigLoader
{
    private sealed class OperatorSettings
    {
        public OperatorClaims? Operator;
        public string? OperatorKey;
        public ResolverOptions? Resolver;
        public string? ResolverKey;
        public ResolverTlsOptions? Tls;
        public string? TlsKey;
        public HashSet<string>? Pinned;
        public string? PinnedKey;
        public readonly Dictionary<string, (string Jwt, string Key)> Preload = new(StringComparer.Ordinal);
    }

    private static void ReadOperator(OperatorSettings settings, string key, HoconValue value, ValueReader reader, string baseDirectory)
    {
        var text = value.IsArray() ? reader.List(key, value).Select(v => reader.Text(key, v)).Single() : reader.Text(key, value);
        var jwt = text.TrimStart().StartsWith("eyJ", StringComparison.Ordinal) ? text.Trim() : ReadJwtFile(key, Path.Combine(baseDirectory, text), reader);
        if (!JwtDecoder.TryDecode<OperatorClaims>(jwt, out var claims, out var error)) throw reader.Error(key, $"not a valid operator JWT: {error}");
        if (claims.IsExpiredAt(DateTimeOffset.UtcNow)) throw reader.Error(key, "the operator JWT has expired");
        settings.Operator = claims;
        settings.OperatorKey = key;
    }

    private static void ReadResolver(OperatorSettings settings, string key, HoconValue value, ValueReader reader, string baseDirectory)
    {
        settings.ResolverKey = key;
        settings.Resolver = value.IsObject()
            ? ResolverSettings.ReadBlock(key, value.GetObject(), reader, baseDirectory)
            : ResolverSettings.ReadText(key, reader.Text(key, value), reader);
    }

    private static void ReadResolverTls(OperatorSettings settings, string key, HoconValue value, ValueReader reader, string baseDirectory)
    {
        settings.TlsKey = key;
        settings.Tls = ResolverSettings.ReadTls(key, reader.Block(key, value), reader, baseDirectory);
    }

    private static void ReadPinnedAccounts(OperatorSettings settings, string key, HoconValue value, ValueReader reader)
    {
        settings.PinnedKey = key;
        var items = value.IsArray() ? reader.List(key, value) : [value];
        settings.Pinned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var account = reader.Text(key, item);
            if (!NKey.IsValidPublicKey(account, NKeyType.Account))
                throw reader.Error(key, item, $"pinned account key \"{account}\" is not a valid public account nkey");
            settings.Pinned.Add(account);
        }
    }

    private static void ReadPreload(OperatorSettings settings, string key, HoconValue value, ValueReader reader)
    {
        foreach (var (account, jwt) in reader.Block(key, value).Items)
            settings.Preload[account] = (reader.Text($"{key}.{account}", jwt), $"{key}.{account}");
    }

    /// <summary>Verifies every account JWT and turns the set into accounts; null when no operator is configured.</summary>
    private static BrokerOptions ApplyOperator(BrokerOptions options, OperatorSettings settings, ValueReader reader)
    {
        if (settings.Operator is null)
        {
            if (settings.ResolverKey is not null || settings.Preload.Count > 0 || settings.TlsKey is not null || settings.PinnedKey is not null)
                throw reader.Error(settings.ResolverKey ?? settings.TlsKey ?? settings.PinnedKey ?? "resolver_preload", "a resolver needs an \"operator\"");
            return options;
        }
        if (options.Accounts.Count > 0 || options.Users.Count > 0 || options.Token is not null)
            throw reader.Error(settings.OperatorKey!, "with an operator, accounts and users come from JWTs: remove \"accounts\" and \"authorization\" users");
        // As nats-server: without a "resolver", the operator JWT's account server is the resolver (nsc pushes to <url>/accounts).
        var resolverKey = settings.ResolverKey ?? settings.OperatorKey!;
        var resolver = settings.Resolver ?? (ResolverSettings.FromAccountServer(settings.Operator.Nats.AccountServerUrl)
            ?? throw reader.Error(settings.OperatorKey!, "an operator needs a \"resolver\" (MEMORY with resolver_preload, URL(...), or { type: full|cache, dir: ... })"));
        if (settings.Tls is not null) resolver = resolver with { Tls = settings.Tls };

        var jwts = new Dictionary<string, (string Jwt, string Key)>(settings.Preload, StringComparer.Ordinal);
        if (resolver.Directory is { } directory)
        {
            try
            {
                System.IO.Directory.CreateDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw reader.Error(resolverKey, $"dir needs to point to an accessible directory: {e.Message}");
            }
            // Deleted accounts keep their file as <key>.jwt.deleted, which this pattern leaves out.
            foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.jwt"))
                jwts[Path.GetFileNameWithoutExtension(file)] = (ReadJwtFile(resolverKey, file, reader), resolverKey);
        }

        var now = DateTimeOffset.UtcNow;
        var accounts = new Dictionary<string, AccountClaims>(StringComparer.Ordinal);
        foreach (var (accountKey, (jwt, key)) in jwts)
        {
            if (!NKey.IsValidPublicKey(accountKey, NKeyType.Account)) throw reader.Error(key, $"\"{accountKey}\" is not an account public key");
            if (!JwtDecoder.TryDecode<AccountClaims>(jwt, out var claims, out var error)) throw reader.Error(key, $"not a valid account JWT: {error}");
            if (claims.Subject != accountKey) throw reader.Error(key, $"the JWT is for account {claims.Subject}, not {accountKey}");
            var verdict = JwtTrust.CheckAccount(claims, settings.Operator, now);
            if (verdict != JwtVerdict.Valid) throw reader.Error(key, $"account JWT not accepted: {verdict}");
            accounts[accountKey] = claims;
        }

        var system = options.SystemAccount != AccountNames.DefaultSystem ? options.SystemAccount : settings.Operator.Nats.SystemAccount;
        if (resolver.IsNatsResolver && string.IsNullOrEmpty(system))
            throw reader.Error(resolverKey, "using nats based account resolver - the system account needs to be specified in configuration or the operator jwt");
        // As nats-server: the system account can always connect, pinned or not.
        if (settings.Pinned is { } pinned && !string.IsNullOrEmpty(system)) pinned.Add(system);
        return options with
        {
            Operator = new OperatorMode(settings.Operator, accounts, resolver.Directory) { Resolver = resolver, PinnedAccounts = settings.Pinned },
            Accounts = accounts.Values.Select(a => JwtAccounts.ToOptions(a, accounts, now)).ToList(),
            SystemAccount = string.IsNullOrEmpty(system) ? options.SystemAccount : system,
        };
    }

    /// <summary>A .jwt file as nsc writes them: the JWT alone, or inside a decorated block.</summary>
    private static string ReadJwtFile(string key, string path, ValueReader reader)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw reader.Error(key, $"cannot read \"{path}\": {e.Message}");
        }
        return text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("eyJ", StringComparison.Ordinal))
               ?? throw reader.Error(key, $"\"{path}\" holds no JWT");
    }
}
