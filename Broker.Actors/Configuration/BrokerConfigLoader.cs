using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using AkkaConfigurationException = Akka.Configuration.ConfigurationException;

namespace Broker.Configuration;

/// <summary>
/// Reads a HOCON file with nats-server's key names into validated <see cref="BrokerOptions"/>.
/// Anything unknown, mistyped or out of range is refused with the file, line and key named.
/// </summary>
public static partial class BrokerConfigLoader
{
    /// <summary>nats-server refuses payload limits above this.</summary>
    public const long MaxPayloadLimit = 64L * 1024 * 1024;

    public static BrokerOptions LoadFile(string path)
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
        return Parse(text, path);
    }

    public static BrokerOptions Parse(string text, string sourceName = "config")
    {
        var source = new ConfigSource(text, sourceName);
        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(text);
        }
        catch (Exception e) when (e is AkkaConfigurationException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new ConfigurationException(sourceName, source.LineOfSyntaxError(), null, $"not valid HOCON: {FirstLine(e.Message)}");
        }
        source.CheckBalancedBraces();

        var options = new BrokerOptions();
        if (config.Root?.GetObject() is not { } root) return options;
        foreach (var (key, value) in root.Items)
        {
            options = Apply(options, key, value, source, config);
        }

        if (options.MaxPayload > options.MaxPending)
        {
            throw source.Error("max_payload", $"max_payload ({options.MaxPayload}) cannot be higher than max_pending ({options.MaxPending})");
        }
        return options;
    }

    private static BrokerOptions Apply(BrokerOptions options, string key, HoconValue value, ConfigSource source, Config config)
    {
        switch (key)
        {
            case "host":
            case "net":
                return options with { Host = source.String(key, value) };
            case "port":
                return options with { Port = source.Int(key, value, -1, 65535) };
            case "listen":
                return ApplyListen(options, source.String(key, value), source);
            case "server_name":
                var name = source.String(key, value);
                if (name.Contains(' ')) throw source.Error(key, "server_name cannot contain spaces");
                return options with { ServerName = name };
            case "max_payload":
                return options with { MaxPayload = (int)source.Size(key, value, 1, MaxPayloadLimit) };
            case "max_control_line":
                return options with { MaxControlLine = (int)source.Size(key, value, 1, int.MaxValue) };
            case "max_connections":
            case "max_conn":
                return options with { MaxConnections = source.Int(key, value, 1, int.MaxValue) };
            case "max_subscriptions":
            case "max_subs":
                return options with { MaxSubscriptions = source.Int(key, value, 0, int.MaxValue) };
            case "ping_interval":
                return options with { PingInterval = source.Duration(key, value) };
            case "ping_max":
                return options with { PingMax = source.Int(key, value, 1, int.MaxValue) };
            case "write_deadline":
                return options with { WriteDeadline = source.Duration(key, value) };
            case "max_pending":
                return options with { MaxPending = source.Size(key, value, 1, long.MaxValue) };
            case "debug":
                return options with { Debug = source.Bool(key, value) };
            case "trace":
                return options with { Trace = source.Bool(key, value) };
            case "logtime":
                return options with { Logtime = source.Bool(key, value) };
            case "authorization":
                return ApplyAuthorization(options, value, source);
            case "akka":
                if (!value.IsObject()) throw source.Error(key, "expected an object: akka { ... }");
                // Akka reads its own keys from the whole file; the broker's keys are ignored by it.
                return options with { Akka = config };
            default:
                throw source.Error(key, "unknown configuration key");
        }
    }

    private static BrokerOptions ApplyListen(BrokerOptions options, string listen, ConfigSource source)
    {
        var colon = listen.LastIndexOf(':');
        var portText = colon < 0 ? listen : listen[(colon + 1)..];
        if (!int.TryParse(portText, out var port) || port < -1 || port > 65535)
        {
            throw source.Error("listen", $"expected \"host:port\" or a port, got \"{listen}\"");
        }
        var host = colon < 0 ? options.Host : listen[..colon].Trim('[', ']');
        return options with { Host = host.Length == 0 ? options.Host : host, Port = port };
    }

    private static BrokerOptions ApplyAuthorization(BrokerOptions options, HoconValue value, ConfigSource source)
    {
        if (!value.IsObject()) throw source.Error("authorization", "expected an object: authorization { ... }");
        foreach (var (key, inner) in value.GetObject().Items)
        {
            if (key != "timeout") throw source.Error($"authorization.{key}", "not supported yet (authentication comes with the security work)");
            options = options with { AuthTimeout = source.Duration("authorization.timeout", inner) };
        }
        return options;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n');
        return (end < 0 ? message : message[..end]).Trim();
    }

    /// <summary>The file's text, to name lines in errors (Akka's parser does not report them).</summary>
    private sealed partial class ConfigSource(string text, string name)
    {
        private readonly string[] _lines = text.Split('\n');

        public ConfigurationException Error(string key, string problem) => new(name, LineOf(key), key, problem);

        public string String(string key, HoconValue value)
        {
            if (!value.IsString()) throw Error(key, "expected a string");
            return value.GetString();
        }

        public int Int(string key, HoconValue value, int min, int max)
        {
            var text = String(key, value);
            if (!long.TryParse(text, out var number)) throw Error(key, $"expected a whole number, got \"{text}\"");
            if (number < min || number > max) throw Error(key, $"{number} is out of range ({min}..{max})");
            return (int)number;
        }

        public long Size(string key, HoconValue value, long min, long max)
        {
            var text = String(key, value);
            if (!SizeValue.TryParse(text, out var size)) throw Error(key, $"expected a size like 1MB, 64KB or a number of bytes, got \"{text}\"");
            if (size < min || size > max) throw Error(key, $"{text} is out of range ({min}..{max} bytes)");
            return size;
        }

        public TimeSpan Duration(string key, HoconValue value)
        {
            var text = String(key, value);
            if (!DurationValue.TryParse(text, out var duration)) throw Error(key, $"expected a duration like \"2m\", \"10s\", \"500ms\" or seconds, got \"{text}\"");
            if (duration <= TimeSpan.Zero) throw Error(key, $"must be positive, got \"{text}\"");
            return duration;
        }

        public bool Bool(string key, HoconValue value)
        {
            var text = String(key, value).ToLowerInvariant();
            return text switch
            {
                "true" or "yes" or "on" => true,
                "false" or "no" or "off" => false,
                _ => throw Error(key, $"expected true or false, got \"{text}\""),
            };
        }

        /// <summary>The first line that assigns the key (its last path segment), 1-based.</summary>
        public int? LineOf(string key)
        {
            var leaf = key[(key.LastIndexOf('.') + 1)..];
            var pattern = new Regex($@"^\s*""?{Regex.Escape(leaf)}""?\s*([:=\{{]|\s|$)");
            for (var i = 0; i < _lines.Length; i++)
            {
                if (pattern.IsMatch(_lines[i])) return i + 1;
            }
            return null;
        }

        /// <summary>Best guess at a syntax error's line: an unquoted value that holds ':' or '=' (the common mistake).</summary>
        public int? LineOfSyntaxError()
        {
            for (var i = 0; i < _lines.Length; i++)
            {
                var match = Assignment().Match(_lines[i]);
                if (match.Success && !match.Groups["value"].Value.StartsWith('"') && match.Groups["value"].Value.IndexOfAny([':', '=']) >= 0)
                    return i + 1;
            }
            return null;
        }

        /// <summary>Akka's parser accepts an unclosed '{'; we do not.</summary>
        public void CheckBalancedBraces()
        {
            var depth = 0;
            int? opened = null;
            for (var i = 0; i < _lines.Length; i++)
            {
                var inString = false;
                var line = _lines[i];
                for (var c = 0; c < line.Length; c++)
                {
                    var ch = line[c];
                    if (ch == '"') inString = !inString;
                    if (inString) continue;
                    if (ch == '#' || (ch == '/' && c + 1 < line.Length && line[c + 1] == '/')) break;
                    if (ch == '{')
                    {
                        if (depth++ == 0) opened = i + 1;
                    }
                    else if (ch == '}' && --depth < 0)
                    {
                        throw new ConfigurationException(name, i + 1, null, "not valid HOCON: '}' without a matching '{'");
                    }
                }
            }
            if (depth > 0) throw new ConfigurationException(name, opened, null, "not valid HOCON: '{' is never closed");
        }

        [GeneratedRegex(@"^\s*[\w.""-]+\s*[:=]\s*(?<value>.*?)\s*$")]
        private static partial Regex Assignment();
    }
}
