using Akka.Configuration.Hocon;

namespace Broker.Configuration;

/// <summary>
/// nats-server's <c>accounts</c> block and the <c>authorization</c> block's users: each account's
/// users, exports and imports, read into <see cref="AccountOptions"/>. Cross-account rules (known
/// accounts, allowed imports, no cycles) are checked afterwards by <see cref="AccountGraphRules"/>.
/// </summary>
public static partial class BrokerConfigLoader
{
    private static BrokerOptions ApplyAccounts(BrokerOptions options, string key, HoconValue value, ValueReader reader)
    {
        var block = reader.Block(key, value);
        var accounts = new List<AccountOptions>(options.Accounts);
        foreach (var (name, body) in block.Items)
        {
            var path = $"{key}.{name}";
            if (name is AccountNames.Global) throw reader.Error(path, $"\"{name}\" is the global account; it cannot be configured");
            if (!AccountNames.IsValid(name)) throw reader.Error(path, $"invalid account name \"{name}\"");
            accounts.RemoveAll(a => a.Name == name);
            accounts.Add(ReadAccount(name, path, body, reader));
        }
        return options with { Accounts = accounts };
    }

    private static AccountOptions ReadAccount(string name, string path, HoconValue body, ValueReader reader)
    {
        var account = new AccountOptions(name);
        // nats-server also accepts an account with an empty body, or none at all.
        if (!body.IsObject() && body.IsEmpty) return account;
        PermissionsOptions? defaults = null;
        foreach (var (key, value) in reader.Block(path, body).Items)
        {
            var at = $"{path}.{key}";
            account = key.ToLowerInvariant() switch
            {
                "users" => account with { Users = reader.List(at, value).Select(u => ReadUser(at, u, name, reader)).ToList() },
                "exports" => account with { Exports = reader.List(at, value).Select(e => ReadExport(at, e, reader)).ToList() },
                "imports" => account with { Imports = reader.List(at, value).Select(i => ReadImport(at, i, reader)).ToList() },
                "limits" => account with { Limits = ReadLimits(at, value, reader) },
                "nkey" => account with { Nkey = ReadAccountNkey(at, value, reader) },
                "default_permissions" => account,
                "jetstream" or "mappings" or "nkeys"
                    => throw reader.Error(at, "not supported yet (a nats-server option this broker does not implement)"),
                _ => throw reader.Error(at, "unknown account option"),
            };
            if (key.Equals("default_permissions", StringComparison.OrdinalIgnoreCase)) defaults = ReadPermissions(at, value, reader);
        }
        // As nats-server: the account's users without permissions of their own get the default ones.
        return defaults is null ? account : account with { Users = account.Users.Select(u => u with { Permissions = u.Permissions ?? defaults }).ToList() };
    }

    /// <summary>An account's public NKey (nats-server's <c>accounts.X.nkey</c>): its identity, an A... key.</summary>
    private static string ReadAccountNkey(string path, HoconValue value, ValueReader reader)
    {
        var nkey = reader.Text(path, value);
        if (!NKeys.NKey.IsValidPublicKey(nkey, NKeys.NKeyType.Account))
            throw reader.Error(path, $"not a valid public account nkey: \"{nkey}\" (a public key starting with A)");
        return nkey;
    }

    private static AccountLimits ReadLimits(string path, HoconValue value, ValueReader reader)
    {
        var limits = AccountLimits.None;
        foreach (var (key, inner) in reader.Block(path, value).Items)
        {
            var at = $"{path}.{key}";
            limits = key.ToLowerInvariant() switch
            {
                "max_connections" or "max_conn" or "conn" => limits with { MaxConnections = (int)reader.Number(at, inner, 0, int.MaxValue) },
                "max_subscriptions" or "max_subs" or "subs" => limits with { MaxSubscriptions = (int)reader.Number(at, inner, 0, int.MaxValue) },
                "max_payload" or "payload" => limits with { MaxPayload = (int)reader.Size(at, inner, 0, MaxPayloadLimit) },
                _ => throw reader.Error(at, "unknown account limit (expected max_connections, max_subscriptions or max_payload)"),
            };
        }
        return limits;
    }

    /// <summary>nats-server's spellings of a user's name and password, in a users entry or the authorization block; false for any other key.</summary>
    private static bool ReadCredential(string key, string path, HoconValue value, ValueReader reader, ref string? user, ref string? password)
    {
        switch (key.ToLowerInvariant())
        {
            case "user" or "username":
                user = reader.Text(path, value);
                return true;
            case "password" or "pass":
                password = reader.Text(path, value);
                if (BcryptHash.LooksLikeOne(password) && !BcryptHash.IsValid(password))
                {
                    throw reader.Error($"{path}.{key}", value, "not a valid bcrypt hash (expected $2a$NN$ and 53 more characters, as `nats server passwd` prints)");
                }
                return true;
            default:
                return false;
        }
    }

    internal static UserOptions ReadUser(string path, HoconValue value, string account, ValueReader reader)
    {
        string? user = null, password = null, nkey = null;
        PermissionsOptions? permissions = null;
        foreach (var (key, inner) in reader.Block(path, value).Items)
        {
            if (ReadCredential(key, path, inner, reader, ref user, ref password)) continue;
            switch (key.ToLowerInvariant())
            {
                case "permissions":
                    permissions = ReadPermissions($"{path}.permissions", inner, reader);
                    break;
                case "nkey":
                    nkey = reader.Text(path, inner);
                    if (!NKeys.NKey.IsValidPublicKey(nkey, NKeys.NKeyType.User))
                        throw reader.Error(path, $"\"{nkey}\" is not a valid user NKey (a public key starting with U)");
                    break;
                case "allowed_connection_types":
                    throw reader.Error(path, $"user option \"{key}\" is not supported yet");
                default:
                    throw reader.Error(path, $"unknown user option \"{key}\"");
            }
        }
        if (nkey is not null)
        {
            if (user is not null || password is not null) throw reader.Error(path, $"NKey user \"{nkey}\" cannot also have \"user\" or \"password\"");
            return new UserOptions(nkey, "", account) { Nkey = nkey, Permissions = permissions };
        }
        if (string.IsNullOrEmpty(user)) throw reader.Error(path, "a user needs \"user\" (or \"nkey\")");
        // A user without a password is a certificate's identity, allowed only with tls.verify_and_map (checked once the whole file is read).
        if (password is null) reader.PasswordlessUsers.Add((path, value, user));
        return new UserOptions(user, password ?? "", account) { Permissions = permissions };
    }

    private static ExportOptions ReadExport(string path, HoconValue value, ValueReader reader)
    {
        var items = reader.Block(path, value).Items;
        var kinds = items.Keys.Where(k => k.Equals("stream", StringComparison.OrdinalIgnoreCase) || k.Equals("service", StringComparison.OrdinalIgnoreCase)).ToList();
        if (kinds.Count != 1) throw reader.Error(path, "an export needs exactly one of \"stream\" or \"service\"");
        var kind = kinds[0].Equals("stream", StringComparison.OrdinalIgnoreCase) ? ExportKind.Stream : ExportKind.Service;
        var subject = reader.Text(path, items[kinds[0]]);
        if (!Subjects.SubjectValidator.IsValidSubscribeSubject(System.Text.Encoding.ASCII.GetBytes(subject)))
            throw reader.Error(path, $"invalid export subject \"{subject}\"");
        var export = new ExportOptions(kind, subject);
        foreach (var (key, inner) in items)
        {
            switch (key.ToLowerInvariant())
            {
                case "stream":
                case "service":
                    break;
                case "accounts":
                    export = export with { Accounts = reader.List(path, inner).Select(a => reader.Text(path, a)).ToList() };
                    break;
                case "response_type":
                case "response":
                    RequireService(kind, path, key, reader);
                    export = export with { ResponseType = ParseResponseType(path, reader.Text(path, inner), reader) };
                    break;
                case "response_threshold":
                case "threshold":
                    RequireService(kind, path, key, reader);
                    export = export with { ResponseThreshold = reader.Duration(path, inner) };
                    break;
                case "latency":
                    RequireService(kind, path, key, reader);
                    export = export with { Latency = ReadLatency(path, inner, reader) };
                    break;
                default:
                    throw reader.Error(path, $"unknown export option \"{key}\"");
            }
        }
        return export;
    }

    private static void RequireService(ExportKind kind, string path, string key, ValueReader reader)
    {
        if (kind != ExportKind.Service) throw reader.Error(path, $"\"{key}\" applies to service exports only");
    }

    private static ResponseType ParseResponseType(string path, string text, ValueReader reader) => text.ToLowerInvariant() switch
    {
        "singleton" or "single" => ResponseType.Singleton,
        "stream" => ResponseType.Stream,
        "chunked" => ResponseType.Chunked,
        _ => throw reader.Error(path, $"unknown response type \"{text}\" (expected singleton, stream or chunked)"),
    };

    private static LatencyOptions ReadLatency(string path, HoconValue value, ValueReader reader)
    {
        // nats-server's short form: latency: "subject" (sampling 100%).
        if (!value.IsObject()) return new LatencyOptions(100, reader.Text(path, value));
        int sampling = 100;
        string? subject = null;
        foreach (var (key, inner) in value.GetObject().Items)
        {
            switch (key.ToLowerInvariant())
            {
                case "sampling":
                    var text = reader.Text(path, inner).Trim().TrimEnd('%');
                    if (!int.TryParse(text, out sampling) || sampling is < 1 or > 100)
                        throw reader.Error(path, $"latency sampling must be between 1% and 100%, got \"{reader.Text(path, inner)}\"");
                    break;
                case "subject":
                    subject = reader.Text(path, inner);
                    break;
                default:
                    throw reader.Error(path, $"unknown latency option \"{key}\"");
            }
        }
        if (subject is null || !Subjects.SubjectValidator.IsValidPublishSubject(System.Text.Encoding.ASCII.GetBytes(subject)))
            throw reader.Error(path, "latency needs a literal \"subject\" to publish samples to");
        return new LatencyOptions(sampling, subject);
    }

    private static ImportOptions ReadImport(string path, HoconValue value, ValueReader reader)
    {
        var items = reader.Block(path, value).Items;
        var kinds = items.Keys.Where(k => k.Equals("stream", StringComparison.OrdinalIgnoreCase) || k.Equals("service", StringComparison.OrdinalIgnoreCase)).ToList();
        if (kinds.Count != 1) throw reader.Error(path, "an import needs exactly one of \"stream\" or \"service\"");
        var kind = kinds[0].Equals("stream", StringComparison.OrdinalIgnoreCase) ? ExportKind.Stream : ExportKind.Service;
        string? account = null, subject = null;
        foreach (var (key, inner) in reader.Block(path, items[kinds[0]]).Items)
        {
            switch (key.ToLowerInvariant())
            {
                case "account":
                    account = reader.Text(path, inner);
                    break;
                case "subject":
                    subject = reader.Text(path, inner);
                    break;
                default:
                    throw reader.Error(path, $"unknown import source option \"{key}\"");
            }
        }
        if (account is null || subject is null) throw reader.Error(path, $"a {kinds[0]} import needs {{ account, subject }}");
        if (!Subjects.SubjectValidator.IsValidSubscribeSubject(System.Text.Encoding.ASCII.GetBytes(subject))) throw reader.Error(path, $"invalid import subject \"{subject}\"");
        var import = new ImportOptions(kind, account, subject);
        foreach (var (key, inner) in items)
        {
            switch (key.ToLowerInvariant())
            {
                case "stream":
                case "service":
                    break;
                case "prefix":
                    if (kind != ExportKind.Stream) throw reader.Error(path, "\"prefix\" applies to stream imports only");
                    import = import with { Prefix = ValidPrefix(path, reader.Text(path, inner), reader) };
                    break;
                case "to":
                    var to = reader.Text(path, inner);
                    if (!Subjects.SubjectValidator.IsValidSubscribeSubject(System.Text.Encoding.ASCII.GetBytes(to)))
                        throw reader.Error(path, $"invalid import \"to\" subject \"{to}\"");
                    import = import with { To = to };
                    break;
                default:
                    throw reader.Error(path, $"unknown import option \"{key}\"");
            }
        }
        if (import.Prefix is not null && import.To is not null) throw reader.Error(path, "an import takes \"prefix\" or \"to\", not both");
        if (import.To is not null && !Subjects.SubjectMapping.IsCompatible(subject, import.To))
            throw reader.Error(path, $"\"to\" subject \"{import.To}\" must keep the wildcards of \"{subject}\"");
        return import;
    }

    private static string ValidPrefix(string path, string prefix, ValueReader reader)
    {
        prefix = prefix.TrimEnd('.');
        if (!Subjects.SubjectValidator.IsValidPublishSubject(System.Text.Encoding.ASCII.GetBytes(prefix)))
            throw reader.Error(path, $"invalid import prefix \"{prefix}\" (a literal subject)");
        return prefix;
    }
}
