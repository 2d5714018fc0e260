using Akka.Configuration.Hocon;

namespace Broker.Configuration;

public static partial class BrokerConfigLoader
{
    /// <summary>nats-server's <c>cluster</c> block: <c>name</c>, <c>listen</c> (or <c>host</c> and <c>port</c>) and <c>routes</c>.</summary>
    private static ClusterOptions ReadCluster(string key, HoconValue value, ValueReader reader, string baseDirectory)
    {
        string name = "";
        string? host = null;
        int? port = null;
        var routes = new List<ClusterEndpoint>();
        LinkAuthorization? authorization = null;
        LinkCredentials? routeCredentials = null;
        TlsOptions? tls = null;
        foreach (var (innerKey, inner) in reader.Block(key, value).Items)
        {
            var path = $"{key}.{innerKey}";
            switch (innerKey.ToLowerInvariant())
            {
                case "name":
                    name = reader.Text(path, inner);
                    if (name.Contains(' ')) throw reader.Error(path, $"cluster name cannot contain spaces, got \"{name}\"");
                    break;
                case "listen" or "host" or "net" or "port":
                    ReadListen(innerKey, path, inner, reader, lowestPort: 1, ref host, ref port);
                    break;
                case "routes":
                    foreach (var route in reader.List(path, inner))
                    {
                        var text = reader.Text(path, route);
                        routes.Add(ClusterEndpoint.TryParse(text, out var credentials)
                            ?? throw reader.Error(path, $"expected a route URL like \"nats-route://host:6222\", got \"{text}\""));
                        routeCredentials ??= credentials;
                    }
                    break;
                case "authorization":
                    authorization = ReadLinkAuthorization(path, inner, reader);
                    break;
                case "tls":
                    tls = ReadTls(path, inner, reader, baseDirectory, link: true);
                    break;
                case "connect_retries"
                    or "pool_size" or "compression" or "accounts" or "pinned_accounts" or "permissions" or "ping_interval" or "ping_max" or "write_deadline":
                    throw reader.Error(path, "not supported yet (a nats-server option this broker does not implement)");
                default:
                    throw reader.Error(path, "unknown cluster option");
            }
        }
        if (port is null or < 1) throw reader.Error(key, "a cluster port chosen at random is not supported yet: cluster needs \"listen\" with a fixed port (the other nodes' routes name it)");
        return new ClusterOptions
        {
            Name = name, Listen = new ClusterEndpoint(string.IsNullOrEmpty(host) ? "0.0.0.0" : host, port.Value), Routes = routes,
            Authorization = authorization, RouteCredentials = routeCredentials, Tls = tls,
        };
    }

    /// <summary>
    /// The keys the cluster and gateway blocks share for their own endpoint: <c>listen</c>
    /// ("host:port" or a port), or <c>host</c> (<c>net</c>) and <c>port</c> apart.
    /// </summary>
    private static void ReadListen(string innerKey, string path, HoconValue inner, ValueReader reader, int lowestPort, ref string? host, ref int? port)
    {
        switch (innerKey.ToLowerInvariant())
        {
            case "listen":
                var (listenHost, listenPort) = HostPort(path, inner, reader);
                host = listenHost ?? host;
                port = listenPort;
                break;
            case "port":
                port = (int)reader.Number(path, inner, lowestPort, 65535);
                break;
            default:
                host = reader.Text(path, inner);
                break;
        }
    }
}
