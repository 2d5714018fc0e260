using Akka.Configuration.Hocon;

namespace Broker.Configuration;

public static partial class BrokerConfigLoader
{
    /// <summary>nats-server's <c>leafnodes</c> (or <c>leaf</c>) block, hub side.</summary>
    private static LeafNodeOptions ReadLeafNodes(string key, HoconValue value, ValueReader reader, string baseDirectory)
    {
        string? host = null;
        int? port = null;
        var listens = false;
        var options = new LeafNodeOptions();
        TimeSpan? authTimeout = null;
        foreach (var (innerKey, inner) in reader.Block(key, value).Items)
        {
            var path = $"{key}.{innerKey}";
            switch (innerKey.ToLowerInvariant())
            {
                case "listen" or "host" or "net" or "port":
                    ReadListen(innerKey, path, inner, reader, lowestPort: -1, ref host, ref port);
                    listens = true;
                    break;
                case "advertise":
                    options = options with { Advertise = reader.Text(path, inner) };
                    break;
                case "no_advertise":
                    options = options with { NoAdvertise = reader.Boolean(path, inner) };
                    break;
                case "authorization":
                    options = ReadLeafAuthorization(options, path, inner, reader, ref authTimeout);
                    break;
                case "tls":
                    options = options with { Tls = ReadTls(path, inner, reader, baseDirectory) };
                    break;
                case "remotes":
                    options = options with { Remotes = [.. reader.List(path, inner).Select(r => ReadLeafRemote(path, r, reader, baseDirectory))] };
                    break;
                case "reconnect" or "reconnect_interval":
                    options = options with { ReconnectInterval = reader.Duration(path, inner) };
                    break;
                case "min_version" or "compression":
                    throw reader.Error(path, "not supported yet (a nats-server option this broker does not implement)");
                default:
                    throw reader.Error(path, "unknown leafnodes option");
            }
        }
        var timeout = authTimeout ?? (options.Tls is { } tls ? tls.Timeout + TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(2));
        // A block with only remotes opens no port, as nats-server.
        listens |= options.Remotes.Count == 0;
        var remotes = options.Remotes.Select(r => r with { ReconnectBase = options.ReconnectInterval }).ToArray();
        return options with { Host = string.IsNullOrEmpty(host) ? "0.0.0.0" : host, Port = port ?? 7422, AuthTimeout = timeout, Listens = listens, Remotes = remotes };
    }

    /// <summary>One <c>remotes</c> entry: <c>url</c>/<c>urls</c>, <c>account</c>, <c>credentials</c>, <c>tls</c>, <c>deny_imports</c>, <c>deny_exports</c>, <c>hub</c>.</summary>
    private static LeafRemoteOptions ReadLeafRemote(string key, HoconValue value, ValueReader reader, string baseDirectory)
    {
        var remote = new LeafRemoteOptions();
        var urls = new List<Uri>();
        foreach (var (innerKey, inner) in reader.Block(key, value).Items)
        {
            var path = $"{key}.{innerKey}";
            switch (innerKey.ToLowerInvariant())
            {
                case "url":
                    urls.Add(ReadLeafUrl(path, inner, reader));
                    break;
                case "urls":
                    urls.AddRange(reader.List(path, inner).Select(u => ReadLeafUrl(path, u, reader)));
                    break;
                case "account" or "local":
                    remote = remote with { LocalAccount = reader.Text(path, inner) };
                    break;
                case "credentials" or "creds":
                    var file = Path.Combine(baseDirectory, reader.Text(path, inner));
                    if (!File.Exists(file)) throw reader.Error(path, $"the credentials file \"{file}\" does not exist");
                    remote = remote with { Credentials = file };
                    break;
                case "tls":
                    remote = remote with { Tls = ReadLeafRemoteTls(path, inner, reader, baseDirectory) };
                    break;
                case "deny_imports" or "deny_import":
                    remote = remote with { DenyImports = ReadSubjects(path, inner, reader) };
                    break;
                case "deny_exports" or "deny_export":
                    remote = remote with { DenyExports = ReadSubjects(path, inner, reader) };
                    break;
                case "hub":
                    remote = remote with { Hub = reader.Boolean(path, inner) };
                    break;
                case "no_randomize" or "ws_compression" or "ws_no_masking" or "jetstream_cluster_migrate" or "compression" or "first_info_timeout":
                    throw reader.Error(path, "not supported yet (a nats-server option this broker does not implement)");
                default:
                    throw reader.Error(path, "unknown leafnodes remote option");
            }
        }
        if (urls.Count == 0) throw reader.Error(key, "a leafnodes remote needs \"url\" or \"urls\"");
        return remote with { Urls = urls };
    }

    private static Uri ReadLeafUrl(string key, HoconValue value, ValueReader reader)
    {
        var text = reader.Text(key, value);
        if (!text.Contains("://", StringComparison.Ordinal)) text = "nats-leaf://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || string.IsNullOrEmpty(url.Host))
            throw reader.Error(key, value, $"invalid leafnode remote URL \"{text}\"");
        if (url.Scheme is "ws" or "wss") throw reader.Error(key, value, "websocket leafnode remotes are not supported yet");
        return url;
    }

    private static IReadOnlyList<string> ReadSubjects(string key, HoconValue value, ValueReader reader)
    {
        var subjects = value.IsArray() ? reader.List(key, value).Select(v => reader.Text(key, v)).ToArray() : [reader.Text(key, value)];
        foreach (var subject in subjects)
        {
            if (!Subjects.SubjectValidator.IsValidSubscribeSubject(System.Text.Encoding.UTF8.GetBytes(subject))) throw reader.Error(key, $"invalid subject \"{subject}\"");
        }
        return subjects;
    }

    /// <summary>A remote's <c>tls</c>: <c>ca_file</c> to verify the hub, <c>cert_file</c>/<c>key_file</c> to present, <c>insecure</c>, <c>timeout</c>.</summary>
    private static LeafRemoteTls ReadLeafRemoteTls(string key, HoconValue value, ValueReader reader, string baseDirectory)
    {
        var tls = new LeafRemoteTls();
        var block = reader.Block(key, value);
        if (block.Items.ContainsKey("cert_file") || block.Items.ContainsKey("key_file"))
        {
            var server = ApplyTls(new BrokerOptions(), key, value, reader, baseDirectory).Tls!;
            return tls with { Certificate = server.Certificate, Authorities = server.Authorities, Timeout = server.Timeout };
        }
        foreach (var (innerKey, inner) in block.Items)
        {
            var path = $"{key}.{innerKey}";
            switch (innerKey.ToLowerInvariant())
            {
                case "ca_file":
                    var file = Path.Combine(baseDirectory, reader.Text(path, inner));
                    try
                    {
                        var authorities = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
                        authorities.ImportFromPemFile(file);
                        tls = tls with { Authorities = authorities };
                    }
                    catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
                    {
                        throw reader.Error(path, $"cannot load the CA file \"{file}\": {e.Message}");
                    }
                    break;
                case "insecure":
                    tls = tls with { Insecure = reader.Boolean(path, inner) };
                    break;
                case "timeout":
                    tls = tls with { Timeout = reader.Duration(path, inner) };
                    break;
                default:
                    throw reader.Error(path, "unknown or unsupported leafnodes remote tls option");
            }
        }
        return tls;
    }

    /// <summary>Every account a leafnodes user or the block's <c>account</c> names must exist.</summary>
    private static void CheckLeafAccounts(BrokerOptions options, ValueReader reader)
    {
        if (options.LeafNodes is not { } leaf) return;
        var key = reader.Seen("leafnodes") ?? reader.Seen("leaf") ?? "leafnodes";
        var known = options.Accounts.Select(a => a.Name).Append(AccountNames.Global).Append(options.SystemAccount).ToHashSet(StringComparer.Ordinal);
        foreach (var name in leaf.Users.Select(u => u.Account).Append(leaf.Account).Concat(leaf.Remotes.Select(r => r.LocalAccount)))
        {
            if (name is not null && options.Operator is null && !known.Contains(name))
                throw reader.Error($"{key}.authorization", $"leafnode authorization names account \"{name}\", which is not defined");
        }
    }

    private static LeafNodeOptions ReadLeafAuthorization(LeafNodeOptions options, string key, HoconValue value, ValueReader reader, ref TimeSpan? timeout)
    {
        string? user = null, password = null;
        foreach (var (innerKey, inner) in reader.Block(key, value).Items)
        {
            var path = $"{key}.{innerKey}";
            if (ReadCredential(innerKey, path, inner, reader, ref user, ref password)) continue;
            switch (innerKey.ToLowerInvariant())
            {
                case "account":
                    options = options with { Account = reader.Text(path, inner) };
                    break;
                case "timeout":
                    timeout = reader.Duration(path, inner);
                    break;
                case "users":
                    var users = new List<UserOptions>();
                    foreach (var entry in reader.List(path, inner)) users.Add(ReadLeafUser(path, entry, reader));
                    var duplicate = users.GroupBy(u => u.Name).FirstOrDefault(g => g.Count() > 1);
                    if (duplicate is not null) throw reader.Error(path, $"duplicate user \"{duplicate.Key}\" detected in leafnode authorization");
                    options = options with { Users = users };
                    break;
                case "token" or "nkey" or "permissions":
                    throw reader.Error(path, "not supported yet (a nats-server option this broker does not implement)");
                default:
                    throw reader.Error(path, "unknown leafnodes authorization option");
            }
        }
        if ((user is null) != (password is null)) throw reader.Error(key, "leafnodes authorization needs both \"user\" and \"password\"");
        if (user is not null && options.Users.Count > 0) throw reader.Error(key, "can not have a single user/pass and a users array");
        return options with { User = user, Password = password };
    }

    /// <summary>A <c>users</c> entry of <c>leafnodes.authorization</c>: <c>user</c>, <c>password</c>, <c>account</c>.</summary>
    private static UserOptions ReadLeafUser(string path, HoconValue value, ValueReader reader)
    {
        string? user = null, password = null, account = null;
        foreach (var (key, inner) in reader.Block(path, value).Items)
        {
            if (ReadCredential(key, path, inner, reader, ref user, ref password)) continue;
            if (!key.Equals("account", StringComparison.OrdinalIgnoreCase)) throw reader.Error(path, $"unknown leafnodes user option \"{key}\"");
            account = reader.Text(path, inner);
        }
        if (string.IsNullOrEmpty(user) || password is null) throw reader.Error(path, "a leafnodes user needs \"user\" and \"password\"");
        return new UserOptions(user, password, account ?? AccountNames.Global);
    }
}
