using System.Text.Json.Serialization;
using Broker.Configuration;

namespace Broker.Monitoring;

/// <summary>
/// /varz's <c>cluster</c> (nats-server 2.9's <c>ClusterOptsVarz</c>): every field is omitted when
/// empty, so a single broker shows <c>{}</c> as nats-server does without a cluster block.
/// </summary>
public sealed class ClusterVarz
{
    /// <summary>
    /// nats-server's defaults for a route's CONNECT and TLS handshake (its <c>DEFAULT_ROUTE_CONNECT</c>
    /// and TLS timeout, 2 s each): it shows them for a cluster without authorization or TLS, and
    /// Akka remoting has neither step, so these are what a plain nats-server cluster shows.
    /// </summary>
    private const double RouteDefaultTimeout = 2;

    [JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Name { get; init; }

    [JsonPropertyName("addr"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Addr { get; init; }

    [JsonPropertyName("cluster_port"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ClusterPort { get; init; }

    [JsonPropertyName("auth_timeout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double AuthTimeout { get; init; }

    /// <summary>The configured routes as <c>host:port</c>, in configuration order (this node's own included when listed).</summary>
    [JsonPropertyName("urls"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? Urls { get; init; }

    [JsonPropertyName("tls_timeout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double TlsTimeout { get; init; }

    /// <summary>The section for a broker started with <paramref name="cluster"/>; empty without one.</summary>
    public static ClusterVarz Of(ClusterOptions? cluster) => cluster is null
        ? new ClusterVarz()
        : new ClusterVarz
        {
            Name = cluster.Name.Length == 0 ? null : cluster.Name,
            Addr = cluster.Listen.Host,
            ClusterPort = cluster.Listen.Port,
            AuthTimeout = RouteDefaultTimeout,
            // nats-server lists a route given twice once.
            Urls = cluster.Routes.Count == 0 ? null : cluster.Routes.Select(r => r.ToString()).Distinct().ToArray(),
            TlsTimeout = RouteDefaultTimeout,
        };
}
