using Broker.Configuration;

namespace Broker.Host;

/// <summary>nats-server's flags, parsed without side effects so they can be tested.</summary>
public sealed record CommandLine
{
    public const string Usage = """
        Usage: Broker.Host [options]

        Server Options:
            -a, --addr, --net <host>         Bind to host address (default: 0.0.0.0)
            -p, --port <port>                Use port for clients (default: 4222, 0 or -1 for a random port)
            -n, --name, --server_name <name> Server name (default: the server id)
            -c, --config <file>              Configuration file (default: hocon/broker.conf)

        Logging Options:
            -D, --debug                      Enable debugging output
            -V, --trace                      Trace the raw protocol
            -DV                              Debug and trace

        Common Options:
            -h, --help                       Show this message
            -v, --version                    Show version
        """;

    public string? ConfigFile { get; init; }
    public string? Host { get; init; }
    public int? Port { get; init; }
    public string? ServerName { get; init; }
    public bool Debug { get; init; }
    public bool Trace { get; init; }
    public bool ShowHelp { get; init; }
    public bool ShowVersion { get; init; }

    /// <summary>Parses the arguments; a bad flag or value throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var line = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            // nats-server (Go's flag package) also accepts --flag=value and -flag=value.
            string? inline = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith('-') && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string Value()
            {
                if (inline is not null) return inline;
                if (i + 1 >= args.Count) throw new ArgumentException($"flag needs an argument: {arg}");
                return args[++i];
            }

            line = arg switch
            {
                "-c" or "--config" or "-config" => line with { ConfigFile = Value() },
                "-p" or "--port" or "-port" => line with { Port = ParsePort(Value()) },
                "-a" or "--addr" or "-addr" or "--net" or "-net" => line with { Host = Value() },
                "-n" or "--name" or "-name" or "--server_name" or "-server_name" => line with { ServerName = Value() },
                "-D" or "--debug" or "-debug" => line with { Debug = true },
                "-V" or "--trace" or "-trace" => line with { Trace = true },
                "-DV" or "-VD" => line with { Debug = true, Trace = true },
                "-h" or "--help" or "-help" => line with { ShowHelp = true },
                "-v" or "--version" or "-version" => line with { ShowVersion = true },
                "-m" or "--http_port" or "-http_port" => throw new ArgumentException($"{arg}: monitoring is not available yet"),
                _ => throw new ArgumentException($"flag provided but not defined: {arg}"),
            };
        }
        return line;
    }

    /// <summary>Flags override the configuration file.</summary>
    public BrokerOptions ApplyTo(BrokerOptions options) => options with
    {
        Host = Host ?? options.Host,
        Port = Port ?? options.Port,
        ServerName = ServerName ?? options.ServerName,
        Debug = Debug || options.Debug,
        Trace = Trace || options.Trace,
    };

    private static int ParsePort(string text) =>
        int.TryParse(text, out var port) && port is >= -1 and <= 65535
            ? port
            : throw new ArgumentException($"invalid port \"{text}\": expected -1..65535");
}
