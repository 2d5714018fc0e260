using System.Text.RegularExpressions;
using Akka.Configuration.Hocon;

namespace Broker.Configuration;

/// <summary>
/// Reads <c>resolver</c> and <c>resolver_tls</c> as nats-server 2.9 does (opts.go), with its
/// error texts: <c>MEM</c>/<c>MEMORY</c>, <c>URL(url)</c>, or a block with <c>type</c>
/// (full|cache), <c>dir</c>, <c>allow_delete</c>, <c>interval</c>, <c>limit</c>, <c>ttl</c>, <c>timeout</c>.
/// </summary>
internal static partial class ResolverSettings
{
    private const string Malformed = "error parsing account resolver, should be MEM or  URL(\"url\") or a map containing dir and type state=[FULL|CACHE])";

    [GeneratedRegex(@"^\s*(MEM|MEMORY)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex MemoryPattern();

    [GeneratedRegex(@"^\s*URL\(\s*""?([^\s""]*)""?\s*\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();

    public static ResolverOptions ReadText(string key, string text, BrokerConfigLoader.ValueReader reader)
    {
        if (MemoryPattern().IsMatch(text)) return new ResolverOptions(ResolverKind.Memory);
        if (UrlPattern().Match(text) is not { Success: true } match) throw reader.Error(key, Malformed);
        var url = match.Groups[1].Value;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw reader.Error(key, $"error parsing account resolver url [\"{url}\"]");
        return new ResolverOptions(ResolverKind.Url) { Url = WithSlash(url) };
    }

    /// <summary>The operator JWT's <c>account_server_url</c> as a URL resolver; null when it names no http(s) server.</summary>
    public static ResolverOptions? FromAccountServer(string? url) =>
        !string.IsNullOrWhiteSpace(url) && Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? new ResolverOptions(ResolverKind.Url) { Url = WithSlash(url.Trim().TrimEnd('/') + "/accounts") }
            : null;

    public static ResolverOptions ReadBlock(string key, HoconObject block, BrokerConfigLoader.ValueReader reader, string baseDirectory)
    {
        string? type = null, dir = null;
        bool allowDelete = false;
        long limit = 0;
        TimeSpan ttl = TimeSpan.Zero, interval = TimeSpan.Zero;
        var timeout = ResolverOptions.DefaultTimeout;
        foreach (var (inner, item) in block.Items)
        {
            var at = $"{key}.{inner}";
            switch (inner.ToLowerInvariant())
            {
                case "type":
                    type = reader.Text(at, item);
                    break;
                case "dir":
                    dir = reader.Text(at, item);
                    break;
                case "allow_delete":
                    allowDelete = reader.Boolean(at, item);
                    break;
                case "limit":
                    limit = reader.Number(at, item, 0, long.MaxValue);
                    break;
                case "ttl":
                    ttl = reader.Duration(at, item);
                    break;
                case "interval":
                    interval = reader.Duration(at, item);
                    break;
                case "timeout":
                    timeout = reader.Duration(at, item);
                    break;
                default:
                    throw reader.Error(at, "unknown resolver option");
            }
        }
        if (string.IsNullOrEmpty(dir)) throw reader.Error(key, "dir has no value and needs to point to a directory");
        var directory = Path.Combine(baseDirectory, dir);
        if (File.Exists(directory)) throw reader.Error(key, "dir needs to point to an accessible directory");
        switch (type?.ToUpperInvariant())
        {
            case "CACHE":
                if (interval != TimeSpan.Zero) throw reader.Error(key, "CACHE does not accept sync");
                if (allowDelete) throw reader.Error(key, "CACHE does not accept allow_delete");
                return new ResolverOptions(ResolverKind.Cache)
                {
                    Directory = directory, Limit = limit > 0 ? limit : ResolverOptions.DefaultCacheLimit, Ttl = ttl, Timeout = timeout,
                };
            case "FULL":
                if (ttl != TimeSpan.Zero) throw reader.Error(key, "FULL does not accept ttl");
                return new ResolverOptions(ResolverKind.Full)
                {
                    Directory = directory, Limit = limit, AllowDelete = allowDelete, Timeout = timeout,
                    Interval = interval > TimeSpan.Zero ? interval : ResolverOptions.DefaultInterval,
                };
            default:
                throw reader.Error(key, Malformed);
        }
    }

    /// <summary><c>resolver_tls</c>: a client-side TLS block, so the certificate is optional (nats-server's <c>parseTLS(tk, true)</c>).</summary>
    public static ResolverTlsOptions ReadTls(string key, HoconObject block, BrokerConfigLoader.ValueReader reader, string baseDirectory)
    {
        string? certFile = null, keyFile = null, caFile = null;
        var insecure = false;
        foreach (var (inner, item) in block.Items)
        {
            var at = $"{key}.{inner}";
            switch (inner.ToLowerInvariant())
            {
                case "cert_file":
                    certFile = Path.Combine(baseDirectory, reader.Text(at, item));
                    break;
                case "key_file":
                    keyFile = Path.Combine(baseDirectory, reader.Text(at, item));
                    break;
                case "ca_file":
                    caFile = Path.Combine(baseDirectory, reader.Text(at, item));
                    break;
                case "insecure":
                    insecure = reader.Boolean(at, item);
                    break;
                case "timeout":
                    reader.Duration(at, item);
                    break;
                case "verify":
                    reader.Boolean(at, item);
                    break;
                default:
                    throw reader.Error(at, "unknown resolver_tls option");
            }
        }
        if ((certFile is null) != (keyFile is null)) throw reader.Error(key, "resolver_tls needs both \"cert_file\" and \"key_file\", or neither");
        var certificate = certFile is null ? null : BrokerConfigLoader.LoadCertificate(key, certFile, keyFile!, reader);
        var authorities = caFile is null ? null : BrokerConfigLoader.LoadAuthorities(key, caFile, reader);
        return new ResolverTlsOptions(authorities, certificate) { Insecure = insecure };
    }

    private static string WithSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
