using System.Globalization;
using Broker.Configuration;

namespace Broker.Host;

/// <summary>
/// nats-server's flags, parsed without side effects so they can be tested. As with Go's flag
/// package (which nats-server uses), one or two dashes are the same (<c>-port</c>, <c>--port</c>),
/// a value follows as the next argument or after <c>=</c>, and a boolean flag takes <c>=false</c>.
/// </summary>
public sealed record CommandLine
{
    public const string Usage = """
        Usage: Broker.Host [options]

        Server Options:
            -a, --addr, --net <host>         Bind to host address (default: 0.0.0.0)
            -p, --port <port>                Use port for clients (default: 4222, -1 or 0 for a random port)
            -n, --name
                --server_name <server_name>  Server name (default: the server id)
            -c, --config <file>              Configuration file (default: hocon/broker.conf beside the binary)
            -m, --http_port <port>           Use port for http monitoring (-1 or 0 for a random port)
            -P, --pid <file>                 File to store PID
            -t                               Test configuration and exit
            -sl,--signal <signal>[=<pid>]    Send signal to a running server (ldm, stop, quit, term, reopen, reload)

        Cluster Options:
                --cluster <cluster-url>      Cluster URL for this node's cluster endpoint (nats-route://host:port)
                --routes <rurl-1, rurl-2>    Routes to the other nodes (comma-separated nats-route:// URLs)
                --cluster_name <string>      Cluster name
                --cluster_listen <url>       Same as --cluster
                --cluster_advertise <string> Cluster URL to advertise to other servers (host:port)
                --no_advertise <bool>        Do not advertise known cluster information to clients

        Logging Options:
            -l, --log <file>                 File to redirect log output
                --log_size_limit <limit>     Logfile size limit
                --max_traced_msg_len <len>   Maximum printable length for traced messages
            -T, --logtime                    Timestamp log entries (default: true)
            -D, --debug                      Enable debugging output
            -V, --trace                      Trace the raw protocol
            -DV                              Debug and trace

        Authorization Options:
                --user <user>                User required for connections
                --pass <password>            Password required for connections
                --auth <token>               Authorization token required for connections

        TLS Options:
                --tls                        Enable TLS, do not verify clients (default: false)
                --tlscert <file>             Server certificate file
                --tlskey <file>              Private key for server certificate
                --tlsverify                  Enable TLS, verify client certificates
                --tlscacert <file>           Client certificate CA for verification

        Common Options:
            -h, --help                       Show this message
            -v, --version                    Show version
        """;

    /// <summary>Go's flag package's words for a flag nobody defined.</summary>
    public const string UndefinedFlag = "flag provided but not defined: ";

    /// <summary>How the errors of Go's flag package begin (nats-server answers each with its usage and exit 0).</summary>
    public static readonly string[] GoFlagErrors =
        [UndefinedFlag, "flag needs an argument: ", "invalid value ", "invalid boolean value ", "bad flag syntax: "];

    public string? ConfigFile { get; init; }
    public string? Host { get; init; }
    public int? Port { get; init; }
    public string? ServerName { get; init; }
    public int? HttpPort { get; init; }
    public bool? Debug { get; init; }
    public bool? Trace { get; init; }
    public bool? Logtime { get; init; }
    public ClusterEndpoint? ClusterListen { get; init; }
    public IReadOnlyList<ClusterEndpoint>? Routes { get; init; }

    /// <summary><c>--cluster nats://user:pass@host:port</c>: what the other nodes must present (nats-server sets the cluster's authorization from it).</summary>
    public LinkCredentials? ClusterCredentials { get; init; }

    /// <summary>The user info of the first <c>--routes</c> URL that has one: what this node presents.</summary>
    public LinkCredentials? RouteCredentials { get; init; }
    public string? ClusterName { get; init; }
    public bool TestConfig { get; init; }

    /// <summary><c>-P</c>/<c>--pid</c>: the file to write the process id to.</summary>
    public string? PidFile { get; init; }

    /// <summary><c>-l</c>/<c>--log</c>: the file to log to.</summary>
    public string? LogFile { get; init; }

    public long? LogSizeLimit { get; init; }
    public int? MaxTracedMsgLen { get; init; }

    /// <summary><c>-sl</c>/<c>--signal</c>: <c>signal[=pid or pid file]</c> to send to a running server instead of starting one.</summary>
    public string? Signal { get; init; }

    /// <summary><c>--user</c>/<c>--pass</c>: a single user required for connections; <c>--auth</c>: a token.</summary>
    public string? User { get; init; }
    public string? Pass { get; init; }
    public string? Auth { get; init; }
    /// <summary><c>--tls</c>, <c>--tlscert</c>, <c>--tlskey</c>, <c>--tlscacert</c>, <c>--tlsverify</c>: TLS for clients, replacing the file's <c>tls</c> block when any is given.</summary>
    public bool? Tls { get; init; }
    public string? TlsCert { get; init; }
    public string? TlsKey { get; init; }
    public string? TlsCaCert { get; init; }
    public bool? TlsVerify { get; init; }

    /// <summary><c>--cluster_advertise</c>: the address the other nodes reach this one at.</summary>
    public string? ClusterAdvertise { get; init; }

    /// <summary><c>--no_advertise</c>: clients' INFO carries no <c>connect_urls</c>.</summary>
    public bool? NoAdvertise { get; init; }

    public bool ShowHelp { get; init; }
    public bool ShowVersion { get; init; }

    /// <summary>nats-server flags this broker does not implement yet; refused by name rather than as unknown.</summary>
    private static readonly HashSet<string> NotSupportedYet = new(StringComparer.Ordinal)
    {
        "client_advertise", "ports_file_dir", "s", "syslog", "r", "remote_syslog",
        "js", "jetstream", "sd", "store_dir", "help_tls",
        "connect_retries", "profile", "ms", "https_port",
    };

    /// <summary>
    /// Parses the arguments. A bad flag or value throws <see cref="ArgumentException"/> whose message
    /// is meant for the user (Go's wording: <c>flag provided but not defined: -x</c>).
    /// </summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var line = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                if (i + 1 < args.Count) throw new ArgumentException($"unexpected argument: {args[i + 1]}");
                break;
            }
            if (arg.Length < 2 || arg[0] != '-' || (arg.Length > 2 && arg[1] == '-' && arg[2] == '-'))
            {
                throw new ArgumentException(arg.StartsWith('-') ? $"bad flag syntax: {arg}" : $"unexpected argument: {arg}");
            }

            var name = arg[(arg[1] == '-' ? 2 : 1)..];
            string? inline = null;
            var eq = name.IndexOf('=');
            if (eq >= 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }
            var flag = "-" + name;

            string Value()
            {
                if (inline is not null) return inline;
                if (i + 1 >= args.Count) throw new ArgumentException($"flag needs an argument: {flag}");
                return args[++i];
            }
            bool Switch() => inline is null ? true : ParseBool(flag, inline);

            line = name switch
            {
                "c" or "config" => line with { ConfigFile = Value() },
                "p" or "port" => line with { Port = ParsePort(flag, Value()) },
                "a" or "addr" or "net" => line with { Host = Value() },
                "n" or "name" or "server_name" => line with { ServerName = Value() },
                "D" or "debug" => line with { Debug = Switch() },
                "V" or "trace" or "VV" => line with { Trace = Switch() },
                "DV" or "DVV" => line with { Debug = Switch(), Trace = Switch() },
                "T" or "logtime" => line with { Logtime = Switch() },
                "t" => line with { TestConfig = Switch() },
                "h" or "help" => line with { ShowHelp = Switch() },
                "v" or "version" => line with { ShowVersion = Switch() },
                "m" or "http_port" => line with { HttpPort = ParsePort(flag, Value()) },
                "cluster" or "cluster_listen" => line with { ClusterListen = ParseRoute(flag, Value(), out var listenCredentials), ClusterCredentials = listenCredentials },
                "cluster_advertise" => line with { ClusterAdvertise = Value() },
                "no_advertise" => line with { NoAdvertise = Switch() },
                "tls" => line with { Tls = Switch() },
                "tlsverify" => line with { TlsVerify = Switch() },
                "tlscert" => line with { TlsCert = Value() },
                "tlskey" => line with { TlsKey = Value() },
                "tlscacert" => line with { TlsCaCert = Value() },
                "routes" => line.WithRoutes(flag, Value()),
                "cluster_name" => line with { ClusterName = Value() },
                "P" or "pid" => line with { PidFile = Value() },
                "l" or "log" => line with { LogFile = Value() },
                "sl" or "signal" => line with { Signal = Value() },
                "log_size_limit" => line with { LogSizeLimit = ParseSize(flag, Value()) },
                "max_traced_msg_len" => line with { MaxTracedMsgLen = (int)Math.Min(int.MaxValue, ParseSize(flag, Value())) },
                "user" => line with { User = Value() },
                "pass" => line with { Pass = Value() },
                "auth" => line with { Auth = Value() },
                _ when NotSupportedYet.Contains(name) => throw new ArgumentException($"{flag}: not supported yet"),
                _ => throw new ArgumentException($"{UndefinedFlag}{flag}"),
            };
        }
        return line;
    }

    /// <summary>Flags override the configuration file; flags not given leave the file's values.</summary>
    /// <exception cref="ConfigurationException">Cluster flags without a cluster endpoint from <c>--cluster</c> or the file.</exception>
    public BrokerOptions ApplyTo(BrokerOptions options) => options with
    {
        Cluster = ApplyClusterTo(options.Cluster),
        Host = Host ?? options.Host,
        Port = Port ?? options.Port,
        ServerName = ServerName ?? options.ServerName,
        HttpPort = HttpPort ?? options.HttpPort,
        Debug = Debug ?? options.Debug,
        Trace = Trace ?? options.Trace,
        Logtime = Logtime ?? options.Logtime,
        PidFile = PidFile ?? options.PidFile,
        LogFile = LogFile ?? options.LogFile,
        LogSizeLimit = LogSizeLimit ?? options.LogSizeLimit,
        MaxTracedMsgLen = MaxTracedMsgLen ?? options.MaxTracedMsgLen,
        Token = Auth ?? options.Token,
        Users = User is null ? options.Users : [.. options.Users.Where(u => u.Name != User), new UserOptions(User, Pass ?? "", Broker.Configuration.AccountNames.Global)],
        Tls = ApplyTlsTo(options.Tls),
    };

    /// <summary>
    /// As nats-server: any TLS flag turns TLS on from the flags alone (the file's <c>tls</c> block is replaced),
    /// and then a certificate and key are required.
    /// </summary>
    private TlsOptions? ApplyTlsTo(TlsOptions? tls)
    {
        if (Tls is null && TlsVerify is null && TlsCert is null && TlsKey is null && TlsCaCert is null) return tls;
        if (TlsCert is null || TlsKey is null)
            throw new ConfigurationException("command line", null, TlsCert is null ? "--tlscert" : "--tlskey", "TLS Server certificate must be present and valid");
        var block = $"tls {{ cert_file: {Quoted(TlsCert)}, key_file: {Quoted(TlsKey)}, verify: {(TlsVerify == true ? "true" : "false")}"
            + (TlsCaCert is null ? "" : $", ca_file: {Quoted(TlsCaCert)}") + " }";
        return BrokerConfigLoader.Parse(block, "command line").Tls;
    }

    private static string Quoted(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private ClusterOptions? ApplyClusterTo(ClusterOptions? cluster)
    {
        if (ClusterListen is null && Routes is null && ClusterName is null && ClusterAdvertise is null && NoAdvertise is null) return cluster;
        var listen = ClusterListen ?? cluster?.Listen
            ?? throw new ConfigurationException("command line", null, FirstClusterFlag(), "needs --cluster (or a cluster block) for this node's cluster endpoint");
        return (cluster ?? new ClusterOptions { Listen = listen }) with
        {
            Name = ClusterName ?? cluster?.Name ?? "",
            Listen = listen,
            Routes = Routes ?? cluster?.Routes ?? [],
            Authorization = ClusterCredentials is { } given
                ? (cluster?.Authorization ?? new LinkAuthorization()) with
                {
                    User = given.Password is null ? null : given.User, Password = given.Password, Token = given.Password is null ? given.User : null,
                }
                : cluster?.Authorization,
            RouteCredentials = Routes is null ? cluster?.RouteCredentials : RouteCredentials,
            Advertise = ClusterAdvertise is null ? cluster?.Advertise : ParseAdvertise(ClusterAdvertise, listen.Port),
            NoAdvertise = NoAdvertise ?? cluster?.NoAdvertise ?? false,
        };
    }

    private CommandLine WithRoutes(string flag, string value)
    {
        LinkCredentials? first = null;
        var routes = new List<ClusterEndpoint>();
        foreach (var text in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            routes.Add(ParseRoute(flag, text, out var credentials));
            first ??= credentials;
        }
        return this with { Routes = routes, RouteCredentials = first };
    }

    private static ClusterEndpoint ParseRoute(string flag, string text, out LinkCredentials? credentials) =>
        ClusterEndpoint.TryParse(text, out credentials) ?? throw new ArgumentException($"invalid value \"{text}\" for flag {flag}: expected nats-route://host:port");

    private string FirstClusterFlag() =>
        Routes is not null ? "--routes" : ClusterName is not null ? "--cluster_name" : ClusterAdvertise is not null ? "--cluster_advertise" : "--no_advertise";

    /// <summary>The same reading as the file's <c>cluster.advertise</c>: "host:port", or a host keeping the cluster port.</summary>
    private static ClusterEndpoint ParseAdvertise(string text, int listenPort) =>
        BrokerConfigLoader.Parse($"cluster {{ listen: 127.0.0.1:{listenPort}, advertise: {Quoted(text)} }}", "command line --cluster_advertise").Cluster!.Advertise!;

    /// <summary>Go's flag.Int64 (plain digits): a negative or malformed number is a parse error.</summary>
    private static long ParseSize(string flag, string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? size
            : throw new ArgumentException($"invalid value \"{text}\" for flag {flag}: parse error");

    private static int ParsePort(string flag, string text)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var port))
        {
            throw new ArgumentException($"invalid value \"{text}\" for flag {flag}: parse error");
        }
        return port is >= -1 and <= 65535
            ? port
            : throw new ArgumentException($"invalid value \"{text}\" for flag {flag}: a port is -1..65535");
    }

    /// <summary>Go's strconv.ParseBool.</summary>
    private static bool ParseBool(string flag, string text) => text switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => throw new ArgumentException($"invalid boolean value \"{text}\" for flag {flag}: parse error"),
    };
}
