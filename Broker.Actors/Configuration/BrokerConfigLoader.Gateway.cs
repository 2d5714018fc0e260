using Akka.Configuration.Hocon;

namespace Broker.Configuration;

public static partial class BrokerConfigLoader
{
    /// <summary>nats-server's <c>gateway</c> block: <c>name</c>, <c>listen</c> (or <c>host</c>/<c>port</c>), <c>gateways</c>, <c>reject_unknown_cluster</c>.</summary>
    private static GatewayOptions ReadGateway(string key, HoconValue value, ValueReader reader, string baseDirectory)
    {
        string? name = null;
        string? host = null;
        int? port = null;
        var rejectUnknown = false;
        var remotes = new List<RemoteGatewayOptions>();
        LinkAuthorization? authorization = null;
        TlsOptions? tls = null;
        foreach (var (innerKey, inner) in reader.Block(key, value).Items)
        {
            var path = $"{key}.{innerKey}";
            switch (innerKey.ToLowerInvariant())
            {
                case "name":
                    name = reader.Text(path, inner);
                    if (name.Length == 0 || name.Contains(' ')) throw reader.Error(path, $"gateway name cannot be empty or contain spaces, got \"{name}\"");
                    break;
                case "listen" or "host" or "net" or "port":
                    ReadListen(innerKey, path, inner, reader, lowestPort: 0, ref host, ref port);
                    break;
                case "reject_unknown_cluster":
                case "reject_unknown":
                    rejectUnknown = reader.Boolean(path, inner);
                    break;
                case "gateways":
                    foreach (var remote in reader.List(path, inner)) remotes.Add(ReadRemoteGateway(path, remote, reader, baseDirectory));
                    break;
                case "authorization":
                    authorization = ReadLinkAuthorization(path, inner, reader, regionUsers: true);
                    break;
                case "tls":
                    tls = ReadTls(path, inner, reader, baseDirectory, link: true);
                    break;
                case "advertise" or "connect_retries" or "send_qsub_interest_only":
                    throw reader.Error(path, "not supported yet (a nats-server option this broker does not implement)");
                default:
                    throw reader.Error(path, "unknown gateway option");
            }
        }
        if (name is null) throw reader.Error(key, "gateway needs a \"name\" (this node's region)");
        if (port is null) throw reader.Error(key, "gateway needs \"listen\" (this node's gateway endpoint)");
        var duplicate = remotes.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw reader.Error($"{key}.gateways", $"gateway \"{duplicate.Key}\" is listed twice");
        return new GatewayOptions
        {
            Name = name,
            Listen = new ClusterEndpoint(string.IsNullOrEmpty(host) ? "0.0.0.0" : host, port.Value),
            Remotes = remotes,
            RejectUnknown = rejectUnknown,
            Authorization = authorization,
            Tls = tls,
        };
    }

    private static RemoteGatewayOptions ReadRemoteGateway(string path, HoconValue value, ValueReader reader, string baseDirectory)
    {
        string? name = null;
        var urls = new List<ClusterEndpoint>();
        LinkCredentials? credentials = null;
        TlsOptions? tls = null;
        // Keys inside a list's entries have no line of their own: errors name the list.
        foreach (var (innerKey, inner) in reader.Block(path, value).Items)
        {
            var innerPath = path;
            switch (innerKey.ToLowerInvariant())
            {
                case "name":
                    name = reader.Text(innerPath, inner);
                    break;
                case "url":
                    urls.Add(GatewayUrl(innerPath, inner, reader, ref credentials));
                    break;
                case "urls":
                    foreach (var url in reader.List(innerPath, inner)) urls.Add(GatewayUrl(innerPath, url, reader, ref credentials));
                    break;
                case "tls":
                    tls = ReadTls($"{innerPath}.tls", inner, reader, baseDirectory, link: true);
                    break;
                default:
                    throw reader.Error(innerPath, "unknown gateway option");
            }
        }
        if (string.IsNullOrEmpty(name)) throw reader.Error(path, "each of gateways needs a \"name\" (the remote region)");
        if (urls.Count == 0) throw reader.Error(path, $"gateway \"{name}\" needs \"url\" or \"urls\"");
        return new RemoteGatewayOptions(name, urls) { Credentials = credentials, Tls = tls };
    }

    private static ClusterEndpoint GatewayUrl(string path, HoconValue value, ValueReader reader, ref LinkCredentials? credentials)
    {
        var text = reader.Text(path, value);
        var url = ClusterEndpoint.TryParse(text, out var given) ?? throw reader.Error(path, $"expected a gateway URL like \"nats://host:7222\", got \"{text}\"");
        credentials ??= given;
        return url;
    }
}
