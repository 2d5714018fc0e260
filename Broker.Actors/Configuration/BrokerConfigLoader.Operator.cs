using Akka.Configuration.Hocon;
using Broker.Jwt;
using Broker.NKeys;

namespace Broker.Configuration;

/// <summary>
/// nats-server's operator mode: <c>operator</c> (a JWT or a file holding one), <c>resolver:
/// MEMORY</c> with <c>resolver_preload { KEY: JWT }</c>, or <c>resolver { type: full, dir }</c>.
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
        public bool MemoryResolver;
        public string? Directory;
        public string? ResolverKey;
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
        if (!value.IsObject())
        {
            var kind = reader.Text(key, value);
            if (!kind.Equals("MEMORY", StringComparison.OrdinalIgnoreCase))
                throw reader.Error(key, $"resolver \"{kind}\" is not supported yet (MEMORY, or {{ type: full, dir: ... }})");
            settings.MemoryResolver = true;
            return;
        }
        foreach (var (inner, item) in value.GetObject().Items)
        {
            var at = $"{key}.{inner}";
            switch (inner.ToLowerInvariant())
            {
                case "type":
                    var type = reader.Text(at, item).ToLowerInvariant();
                    if (type is not ("full" or "cache")) throw reader.Error(at, $"resolver type \"{type}\" is not supported (full or cache)");
                    break;
                case "dir":
                    settings.Directory = Path.Combine(baseDirectory, reader.Text(at, item));
                    break;
                case "allow_delete":
                case "interval":
                case "limit":
                case "timeout":
                case "ttl":
                    // Settings of the resolver's update protocol, which comes with the system account's claim requests.
                    break;
                default:
                    throw reader.Error(at, "unknown resolver option");
            }
        }
        if (settings.Directory is null) throw reader.Error(key, "a directory resolver needs \"dir\"");
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
            if (settings.ResolverKey is not null || settings.Preload.Count > 0)
                throw reader.Error(settings.ResolverKey ?? "resolver_preload", "a resolver needs an \"operator\"");
            return options;
        }
        if (options.Accounts.Count > 0 || options.Users.Count > 0 || options.Token is not null)
            throw reader.Error(settings.OperatorKey!, "with an operator, accounts and users come from JWTs: remove \"accounts\" and \"authorization\" users");
        if (settings.ResolverKey is null) throw reader.Error(settings.OperatorKey!, "an operator needs a \"resolver\" (MEMORY with resolver_preload, or a directory)");

        var jwts = new Dictionary<string, (string Jwt, string Key)>(settings.Preload, StringComparer.Ordinal);
        if (settings.Directory is { } directory)
        {
            if (!System.IO.Directory.Exists(directory)) throw reader.Error(settings.ResolverKey, $"resolver directory \"{directory}\" does not exist");
            foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.jwt"))
                jwts[Path.GetFileNameWithoutExtension(file)] = (ReadJwtFile(settings.ResolverKey, file, reader), settings.ResolverKey);
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
        return options with
        {
            Operator = new OperatorMode(settings.Operator, accounts, settings.Directory),
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
