using Akka.Configuration.Hocon;
using Broker.Security.Jwt;
using Broker.Security.NKeys;

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

        var system = options.SystemAccount != Accounts.AccountNames.DefaultSystem ? options.SystemAccount : settings.Operator.Nats.SystemAccount;
        return options with
        {
            Operator = new OperatorMode(settings.Operator, accounts),
            Accounts = accounts.Values.Select(a => AccountFromClaims(a, accounts, now)).ToList(),
            SystemAccount = string.IsNullOrEmpty(system) ? options.SystemAccount : system,
        };
    }

    private static AccountOptions AccountFromClaims(AccountClaims claims, Dictionary<string, AccountClaims> all, DateTimeOffset now)
    {
        var key = claims.Subject!;
        var exports = (claims.Nats.Exports ?? []).Where(e => e.Subject is not null).Select(e => new ExportOptions(e.IsService ? ExportKind.Service : ExportKind.Stream, e.Subject!)
        {
            // A private export is open to exactly the importers that hold a valid activation for it.
            Accounts = e.TokenRequired ? ActivatedImporters(claims, e, all, now) : null,
            ResponseType = e.ResponseType?.ToLowerInvariant() switch { "stream" => ResponseType.Stream, "chunked" => ResponseType.Chunked, _ => ResponseType.Singleton },
            ResponseThreshold = e.ResponseThresholdNanoseconds > 0 ? TimeSpan.FromTicks(e.ResponseThresholdNanoseconds / 100) : TimeSpan.FromMinutes(2),
            Latency = e.Latency is { Results: { } results } latency ? new LatencyOptions(Math.Clamp(latency.Sampling, 1, 100), results) : null,
        }).ToList();
        // Imports from accounts this server does not know, or not allowed, are left out, as nats-server does.
        var imports = (claims.Nats.Imports ?? [])
            .Where(i => i.Subject is not null && i.Account is not null && i.Account != key && all.TryGetValue(i.Account, out var exporter)
                        && ExportFor(exporter, i) is { } export && (!export.TokenRequired || ActivationValid(i, exporter, export, key, now)))
            .Select(i => i.IsService
                ? new ImportOptions(ExportKind.Service, i.Account!, i.Subject!) { To = i.LocalSubject ?? i.To }
                : new ImportOptions(ExportKind.Stream, i.Account!, i.Subject!) { To = i.LocalSubject, Prefix = i.LocalSubject is null ? i.To : null })
            .ToList();
        var limits = claims.Nats.Limits is { } jwtLimits
            ? new AccountLimits(AccountLimits.FromJwt(jwtLimits.Connections), AccountLimits.FromJwt(jwtLimits.Subs), AccountLimits.FromJwt(jwtLimits.Payload))
            : AccountLimits.None;
        return new AccountOptions(key) { Exports = exports, Imports = imports, Limits = limits };
    }

    private static Export? ExportFor(AccountClaims exporter, Import import) =>
        exporter.Nats.Exports?.FirstOrDefault(e => e.Type == import.Type && e.Subject is not null && Subjects.SubjectPatterns.IsSubsetOf(import.Subject!, e.Subject));

    private static List<string> ActivatedImporters(AccountClaims exporter, Export export, Dictionary<string, AccountClaims> all, DateTimeOffset now) =>
        all.Values.Where(importer => importer.Nats.Imports?.Any(i => i.Account == exporter.Subject && ExportFor(exporter, i) == export
            && ActivationValid(i, exporter, export, importer.Subject!, now)) == true).Select(a => a.Subject!).ToList();

    private static bool ActivationValid(Import import, AccountClaims exporter, Export export, string importerKey, DateTimeOffset now) =>
        import.Token is { } token && JwtDecoder.TryDecode<ActivationClaims>(token, out var activation, out _)
        && JwtTrust.CheckActivation(activation, exporter, importerKey, now, export) == JwtVerdict.Valid;

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
