using System.Globalization;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Broker.Configuration;

/// <summary>
/// Reads a configuration in nats-server's format (see <see cref="NatsFormat.NatsConfigParser"/>) into validated <see cref="BrokerOptions"/>.
/// Keys are case-insensitive, as in nats-server. Anything unknown, mistyped or out of range is refused
/// with a <see cref="ConfigurationException"/> naming the source, line and key: the broker starts with
/// exactly what the file says or not at all.
/// </summary>
public static partial class BrokerConfigLoader
{
    /// <summary>Our ceiling for <c>max_payload</c> (nats-server only warns above 8MB; beyond 64MB it cannot be below max_pending's default).</summary>
    public const long MaxPayloadLimit = 64L * 1024 * 1024;

    /// <summary>Reads and parses a file; an unreadable or missing file is a <see cref="ConfigurationException"/> naming it.</summary>
    /// <remarks>
    /// As in nats-server, an <c>include</c> is taken from the including file's directory, but every other relative
    /// path (certificates, an operator JWT, a resolver directory) from <paramref name="workingDirectory"/>, by default the current one.
    /// </remarks>
    public static BrokerOptions LoadFile(string path, string? workingDirectory = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException(path, null, null, $"cannot read the configuration file: {e.Message}");
        }
        return Parse(text, path, workingDirectory ?? Directory.GetCurrentDirectory(), Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Parses configuration text; <paramref name="sourceName"/> prefixes every error message.</summary>
    /// <remarks>Relative paths in the text (an operator JWT file, a resolver directory) are taken from <paramref name="baseDirectory"/>, by default the current one.</remarks>
    public static BrokerOptions Parse(string text, string sourceName = "config", string? baseDirectory = null)
    {
        baseDirectory ??= Directory.GetCurrentDirectory();
        return Parse(text, sourceName, baseDirectory, baseDirectory);
    }

    private static BrokerOptions Parse(string text, string sourceName, string baseDirectory, string includeDirectory)
    {
        var lines = new KeyLines();
        var root = NatsFormat.NatsConfigParser.Parse(text, sourceName, includeDirectory, lines);

        var reader = new ValueReader(sourceName, lines);
        var options = new BrokerOptions();
        var operatorSettings = new OperatorSettings();
        foreach (var (key, value) in root.Items)
        {
            switch (key.ToLowerInvariant())
            {
                case "operator" or "operators" or "root" or "roots" or "root_operator" or "root_operators":
                    reader.Saw(key);
                    ReadOperator(operatorSettings, key, value, reader, baseDirectory);
                    break;
                case "resolver" or "account_resolver" or "accounts_resolver":
                    reader.Saw(key);
                    ReadResolver(operatorSettings, key, value, reader, baseDirectory);
                    break;
                case "resolver_preload":
                    reader.Saw(key);
                    ReadPreload(operatorSettings, key, value, reader);
                    break;
                case "resolver_tls":
                    reader.Saw(key);
                    ReadResolverTls(operatorSettings, key, value, reader, baseDirectory);
                    break;
                case "resolver_pinned_accounts":
                    reader.Saw(key);
                    ReadPinnedAccounts(operatorSettings, key, value, reader);
                    break;
                case "tls":
                    reader.Saw(key);
                    options = ApplyTls(options, key, value, reader, baseDirectory);
                    break;
                case "cluster":
                    reader.Saw(key);
                    options = options with { Cluster = ReadClusterWithAdvertise(key, value, reader, baseDirectory) };
                    break;
                case "gateway":
                    reader.Saw(key);
                    options = options with { Gateway = ReadGateway(key, value, reader, baseDirectory) };
                    break;
                case var leaf when leaf.Equals("leafnodes", StringComparison.OrdinalIgnoreCase) || leaf.Equals("leaf", StringComparison.OrdinalIgnoreCase):
                    reader.Saw(key);
                    options = options with { LeafNodes = ReadLeafNodes(key, value, reader, baseDirectory) };
                    break;
                default:
                    options = Apply(options, key, value, reader);
                    break;
            }
        }
        options = ApplyOperator(options, operatorSettings, reader);

        if (reader.PasswordlessUsers is [var passwordless, ..] && options.Tls is not { VerifyAndMap: true })
            throw reader.Error(passwordless.Path, passwordless.Value, $"user \"{passwordless.User}\" needs \"password\" (or tls {{ verify_and_map: true }} to name users by their certificates)");
        // nats-server's default: a client has the TLS handshake's time plus a second to authenticate, at least 2s.
        if (options.Tls is { } tls && reader.Seen("authorization.timeout") is null)
            options = options with { AuthTimeout = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(2).Ticks, (tls.Timeout + TimeSpan.FromSeconds(1)).Ticks)) };
        CheckAccountRules(options, reader);
        CheckLeafAccounts(options, reader);
        if (options.MaxPayload > options.MaxPending)
        {
            var key = reader.Seen("max_payload") ?? reader.Seen("max_pending") ?? "max_payload";
            throw reader.Error(key, $"max_payload ({options.MaxPayload}) cannot be higher than max_pending ({options.MaxPending})");
        }
        if (options.LameDuckGracePeriod >= options.LameDuckDuration)
        {
            throw reader.Error(reader.Seen("lame_duck_grace_period") ?? "lame_duck_duration",
                $"lame duck grace period ({GoDuration.Format(options.LameDuckGracePeriod)}) should be strictly lower than lame duck duration ({GoDuration.Format(options.LameDuckDuration)})");
        }
        var clusterName = options.Cluster?.Name ?? "";
        if (options.Gateway is { } gateway && clusterName.Length > 0 && gateway.Name != clusterName)
            throw reader.Error("gateway", $"gateway name \"{gateway.Name}\" must equal the cluster name \"{clusterName}\"");
        return options;
    }

    private static BrokerOptions Apply(BrokerOptions options, string key, HoconValue value, ValueReader reader)
    {
        reader.Saw(key);
        switch (key.ToLowerInvariant())
        {
            case "host":
            case "net":
                return options with { Host = reader.Text(key, value) };
            case "port":
                return options with { Port = (int)reader.Number(key, value, -1, 65535) };
            case "listen":
                var (listenHost, listenPort) = HostPort(key, value, reader);
                return options with { Host = listenHost ?? options.Host, Port = listenPort };
            case "http_port":
            case "monitor_port":
                return options with { HttpPort = (int)reader.Number(key, value, -1, 65535) };
            case "http":
                var (httpHost, httpPort) = HostPort(key, value, reader);
                return options with { HttpHost = httpHost ?? options.HttpHost, HttpPort = httpPort };
            case "server_name":
                var name = reader.Text(key, value);
                if (name.Contains(' ')) throw reader.Error(key, $"server name cannot contain spaces, got \"{name}\"");
                return options with { ServerName = name };
            case "max_payload":
                return options with { MaxPayload = (int)reader.Size(key, value, 1, MaxPayloadLimit) };
            case "max_control_line":
                return options with { MaxControlLine = (int)reader.Size(key, value, 1, int.MaxValue) };
            case "max_pending":
                return options with { MaxPending = reader.Size(key, value, 1, long.MaxValue) };
            case "max_connections":
            case "max_conn":
                return options with { MaxConnections = (int)reader.Number(key, value, 1, int.MaxValue) };
            case "max_subscriptions":
            case "max_subs":
                return options with { MaxSubscriptions = (int)reader.Number(key, value, 0, int.MaxValue) };
            case "ping_interval":
                return options with { PingInterval = reader.Duration(key, value) };
            case "ping_max":
                return options with { PingMax = (int)reader.Number(key, value, 1, int.MaxValue) };
            case "write_deadline":
                return options with { WriteDeadline = reader.Duration(key, value) };
            case "debug":
                return options with { Debug = reader.Boolean(key, value) };
            case "trace":
                return options with { Trace = reader.Boolean(key, value) };
            case "logtime":
                return options with { Logtime = reader.Boolean(key, value) };
            case "log_file":
            case "logfile":
                return options with { LogFile = reader.Text(key, value) };
            case "log_size_limit":
            case "logfile_size_limit":
                return options with { LogSizeLimit = reader.Size(key, value, 0, long.MaxValue) };
            case "max_traced_msg_len":
                return options with { MaxTracedMsgLen = (int)reader.Number(key, value, 0, int.MaxValue) };
            case "pid_file":
            case "pidfile":
                return options with { PidFile = reader.Text(key, value) };
            case "lame_duck_duration":
                var duration = reader.Duration(key, value);
                if (duration < TimeSpan.FromSeconds(30)) throw reader.Error(key, $"invalid lame_duck_duration of {GoDuration.Format(duration)}, minimum is 30 seconds");
                return options with { LameDuckDuration = duration };
            case "lame_duck_grace_period":
                var grace = reader.Duration(key, value);
                if (grace < TimeSpan.Zero) throw reader.Error(key, "invalid lame_duck_grace_period, needs to be positive");
                return options with { LameDuckGracePeriod = grace };
            case "authorization":
                return ApplyAuthorization(options, key, value, reader);
            case "accounts":
                return ApplyAccounts(options, key, value, reader);
            case "no_auth_user":
                return options with { NoAuthUser = reader.Text(key, value) };
            case "no_system_account":
            case "no_system":
            case "no_sys_acc":
                return options with { NoSystemAccount = reader.Boolean(key, value) };
            case "system_account":
            case "system":
                var system = reader.Text(key, value);
                if (!AccountNames.IsValid(system)) throw reader.Error(key, $"invalid account name \"{system}\"");
                return options with { SystemAccount = system };
            case "akka":
                if (!value.IsObject()) throw reader.Error(key, $"expected a block: {key} {{ ... }}, got {reader.Describe(value)}");
                var akka = AkkaConfig(value.GetObject());
                return options with { Akka = options.Akka is null ? akka : akka.WithFallback(options.Akka) };
            default:
                throw NatsServerKeys.NotSupportedYet.Contains(key)
                    ? reader.Error(key, "not supported yet (a nats-server option this broker does not implement)")
                    : reader.Error(key, "unknown configuration key");
        }
    }

    /// <summary>
    /// nats-server's <c>listen</c> and <c>http</c>: a port, or "host:port" ("[::1]:4222" for IPv6).
    /// The host is null when only a port is given.
    /// </summary>
    private static (string? Host, int Port) HostPort(string key, HoconValue value, ValueReader reader)
    {
        var text = reader.Text(key, value).Trim();
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var onlyPort))
        {
            return onlyPort is >= -1 and <= 65535
                ? (null, onlyPort)
                : throw reader.Error(key, $"port must be between -1 and 65535, got {onlyPort}");
        }

        var colon = text.LastIndexOf(':');
        var host = colon < 0 ? "" : text[..colon];
        var portText = colon < 0 ? "" : text[(colon + 1)..];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':')) colon = -1;
        if (colon < 0 || !int.TryParse(portText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var port) || port is < -1 or > 65535)
        {
            throw reader.Error(key, $"expected \"host:port\" or a port, got \"{text}\"");
        }
        return (host.Length == 0 ? null : host, port);
    }

    /// <summary>nats-server's single-user, token and users forms; the users land in the global account.</summary>
    private static BrokerOptions ApplyAuthorization(BrokerOptions options, string key, HoconValue value, ValueReader reader)
    {
        string? user = null, password = null;
        PermissionsOptions? defaults = null;
        var usersBefore = options.Users.Count;
        foreach (var (innerKey, inner) in reader.Block(key, value).Items)
        {
            var path = $"{key}.{innerKey}";
            if (ReadCredential(innerKey, path, inner, reader, ref user, ref password)) continue;
            switch (innerKey.ToLowerInvariant())
            {
                case "timeout":
                    reader.Saw(path);
                    options = options with { AuthTimeout = reader.Duration(path, inner) };
                    break;
                case "token":
                    options = options with { Token = reader.Text(path, inner) };
                    break;
                case "users":
                    var users = reader.List(path, inner).Select(u => ReadUser(path, u, AccountNames.Global, reader));
                    options = options with { Users = [.. options.Users, .. users] };
                    break;
                case "default_permissions" or "default_permission" or "permissions":
                    defaults = ReadPermissions(path, inner, reader);
                    break;
                case "auth_callout":
                    throw reader.Error(path, "not supported yet (a nats-server option this broker does not implement)");
                default:
                    throw reader.Error(path, "unknown authorization option");
            }
        }
        if ((user is null) != (password is null)) throw reader.Error(key, "authorization needs both \"user\" and \"password\"");
        if (user is not null) options = options with { Users = [.. options.Users, new UserOptions(user, password!, AccountNames.Global)] };
        // As nats-server: the block's users without permissions of their own get the default ones.
        if (defaults is not null) options = options with { Users = [.. options.Users.Take(usersBefore), .. options.Users.Skip(usersBefore).Select(u => u with { Permissions = u.Permissions ?? defaults })] };
        return options;
    }

    /// <summary>The <c>akka</c> block alone, still under the <c>akka</c> key, so the ActorSystem sees none of the broker's keys.</summary>
    private static Config AkkaConfig(HoconObject akka)
    {
        var root = new HoconObject();
        root.GetOrCreateKey("akka").AppendValue(akka);
        var value = new HoconValue();
        value.AppendValue(root);
        return new Config(new HoconRoot(value));
    }

    /// <summary>Typed reads of HOCON values, each failure a <see cref="ConfigurationException"/> naming key and line.</summary>
    internal sealed class ValueReader(string sourceName, KeyLines lines)
    {
        private readonly Dictionary<string, string> _seen = new(StringComparer.OrdinalIgnoreCase);

        public void Saw(string key) => _seen[key] = key;

        /// <summary>Users read without a password: valid only when <c>tls.verify_and_map</c> names users by their certificates.</summary>
        public List<(string Path, HoconValue Value, string User)> PasswordlessUsers { get; } = [];

        /// <summary>The key as written in the file, if it was there.</summary>
        public string? Seen(string key) => _seen.TryGetValue(key, out var written) ? written : null;

        public ConfigurationException Error(string key, string problem) => new(lines.SourceOf(key) ?? sourceName, lines.LineOf(key), key, problem);

        /// <summary>An error at the line <paramref name="value"/> was written on, when known (elements of a list share one key).</summary>
        public ConfigurationException Error(string key, HoconValue value, string problem) =>
            value.Values is [NatsFormat.LocatedLiteral at] ? new(at.Source, at.Line, key, problem) : Error(key, problem);

        public string Text(string key, HoconValue value)
        {
            if (!value.IsString()) throw Error(key, $"expected a string, got {Describe(value)}");
            return value.GetString();
        }

        public long Number(string key, HoconValue value, long min, long max)
        {
            if (!value.IsString()) throw Error(key, $"expected a number, got {Describe(value)}");
            var text = value.GetString();
            if (!SizeValue.TryParse(text, out var number)) throw Error(key, $"expected a whole number, got \"{text}\"");
            if (number < min || number > max) throw Error(key, $"must be between {min} and {max}, got {text}");
            return number;
        }

        public long Size(string key, HoconValue value, long min, long max)
        {
            if (!value.IsString()) throw Error(key, $"expected a size like \"1MB\", got {Describe(value)}");
            var text = value.GetString();
            if (!SizeValue.TryParse(text, out var size)) throw Error(key, $"expected a size like \"1MB\", \"64KB\" or a number of bytes, got \"{text}\"");
            if (size < min || size > max)
            {
                var range = max == long.MaxValue ? $"at least {min}" : $"between {min} and {SizeValue.Format(max)}";
                throw Error(key, $"must be {range}, got {text}{(text.Trim() == size.ToString(CultureInfo.InvariantCulture) ? "" : $" ({size})")}");
            }
            return size;
        }

        public TimeSpan Duration(string key, HoconValue value)
        {
            if (!value.IsString()) throw Error(key, $"expected a duration like \"2m\", got {Describe(value)}");
            var text = value.GetString();
            // An unquoted integer is seconds, even with a size suffix: nats-server reads 2m as 2000000.
            if (value.Values is [NatsFormat.NatsInteger integer]) text = integer.Number.ToString(CultureInfo.InvariantCulture);
            if (!DurationValue.TryParse(text, out var duration))
            {
                throw Error(key, $"expected a duration like \"2m\", \"10s\", \"500ms\" or a number of seconds, got \"{text}\"");
            }
            if (duration <= TimeSpan.Zero) throw Error(key, $"must be greater than zero, got \"{text}\"");
            return duration;
        }

        public HoconObject Block(string key, HoconValue value)
        {
            if (!value.IsObject()) throw Error(key, $"expected a block {{ ... }}, got {Describe(value)}");
            return value.GetObject();
        }

        public IList<HoconValue> List(string key, HoconValue value)
        {
            if (!value.IsArray()) throw Error(key, $"expected a list [ ... ], got {Describe(value)}");
            // Akka reads "[ ]" as one empty element.
            return value.GetArray().Where(v => !(v.IsEmpty || (v.IsString() && v.GetString().Length == 0 && !v.IsObject()))).ToList();
        }

        public bool Boolean(string key, HoconValue value)
        {
            if (!value.IsString()) throw Error(key, $"expected true or false, got {Describe(value)}");
            var text = value.GetString();
            return text.ToLowerInvariant() switch
            {
                "true" or "yes" or "on" => true,
                "false" or "no" or "off" => false,
                _ => throw Error(key, $"expected true or false, got \"{text}\""),
            };
        }

        public string Describe(HoconValue value) =>
            value.IsObject() ? "a block { ... }" : value.IsArray() ? "a list [ ... ]" : $"\"{value.GetString()}\"";
    }
}
