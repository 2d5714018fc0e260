using Akka.Configuration.Hocon;

namespace Broker.Configuration;

public static partial class BrokerConfigLoader
{
    /// <summary>nats-server's <c>leafnodes</c> (or <c>leaf</c>) block, hub side.</summary>
    private static LeafNodeOptions ReadLeafNodes(string key, HoconValue value, ValueReader reader, string baseDirectory)
    {
        string? host = null;
        int? port = null;
        var options = new LeafNodeOptions();
        TimeSpan? authTimeout = null;
        foreach (var (innerKey, inner) in reader.Block(key, value).Items)
        {
            var path = $"{key}.{innerKey}";
            switch (innerKey.ToLowerInvariant())
            {
                case "listen" or "host" or "net" or "port":
                    ReadListen(innerKey, path, inner, reader, lowestPort: -1, ref host, ref port);
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
                    options = options with { Tls = ApplyTls(new BrokerOptions(), path, inner, reader, baseDirectory).Tls };
                    break;
                case "remotes" or "reconnect" or "reconnect_interval" or "min_version" or "compression":
                    throw reader.Error(path, "not supported yet (a nats-server option this broker does not implement)");
                default:
                    throw reader.Error(path, "unknown leafnodes option");
            }
        }
        var timeout = authTimeout ?? (options.Tls is { } tls ? tls.Timeout + TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(2));
        return options with { Host = string.IsNullOrEmpty(host) ? "0.0.0.0" : host, Port = port ?? 7422, AuthTimeout = timeout };
    }

    /// <summary>Every account a leafnodes user or the block's <c>account</c> names must exist.</summary>
    private static void CheckLeafAccounts(BrokerOptions options, ValueReader reader)
    {
        if (options.LeafNodes is not { } leaf) return;
        var key = reader.Seen("leafnodes") ?? reader.Seen("leaf") ?? "leafnodes";
        var known = options.Accounts.Select(a => a.Name).Append(AccountNames.Global).Append(options.SystemAccount).ToHashSet(StringComparer.Ordinal);
        foreach (var name in leaf.Users.Select(u => u.Account).Append(leaf.Account))
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
