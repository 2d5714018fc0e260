using System.Text.Json.Serialization;
using Broker.Gateways;

namespace Broker.Monitoring;

/// <summary>
/// /varz's <c>gateway</c> (nats-server 2.9's <c>GatewayOptsVarz</c>): every field is omitted when
/// empty, so a broker without a <c>gateway</c> block shows <c>{}</c> as nats-server does.
/// nats-server's <c>tls_required</c>, <c>tls_verify</c>, <c>advertise</c> and <c>connect_retries</c>
/// have no option here and stay out, as nats-server leaves them out when unset.
/// </summary>
public sealed class GatewayVarz
{
    /// <summary>
    /// nats-server's defaults for a gateway's CONNECT and TLS handshake (2 s each), which it shows for
    /// a gateway without authorization or TLS too.
    /// </summary>
    private const double GatewayDefaultTimeout = 2;

    [JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>The configured listen host (<c>0.0.0.0</c> when none), as nats-server shows it here.</summary>
    [JsonPropertyName("host"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Host { get; init; }

    /// <summary>The bound gateway port (the configured one, or the one port 0 took).</summary>
    [JsonPropertyName("port"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Port { get; init; }

    [JsonPropertyName("auth_timeout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double AuthTimeout { get; init; }

    [JsonPropertyName("tls_timeout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double TlsTimeout { get; init; }

    /// <summary>The configured regions (this one's own too, when listed), each with the URLs known for it.</summary>
    [JsonPropertyName("gateways"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RemoteGatewayVarz[]? Gateways { get; init; }

    [JsonPropertyName("reject_unknown"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool RejectUnknown { get; init; }

    /// <summary>The section for a node in a supercluster; empty without one.</summary>
    internal static GatewayVarz Of(GatewayNode? gateway)
    {
        if (gateway is null) return new GatewayVarz();
        var options = gateway.Options;
        var remotes = options.Remotes.Select(remote => new RemoteGatewayVarz
        {
            Name = remote.Name,
            // A remote region: the URLs configured, then those it told us (nats-server shows the learned ones too);
            // this region's own entry: its configured URLs, as nats-server.
            Urls = gateway.Regions.FirstOrDefault(r => r.Name == remote.Name)?.KnownUrls.ToArray()
                ?? remote.Urls.Select(u => u.ToString()).ToArray(),
        }).ToArray();
        return new GatewayVarz
        {
            Name = options.Name,
            Host = options.Listen.Host,
            Port = Configuration.ClusterEndpoint.TryParse(gateway.GatewayUrl)?.Port ?? options.Listen.Port,
            AuthTimeout = GatewayDefaultTimeout,
            TlsTimeout = GatewayDefaultTimeout,
            Gateways = remotes.Length == 0 ? null : remotes,
            RejectUnknown = options.RejectUnknown,
        };
    }
}

/// <summary>One region of /varz's <c>gateway.gateways</c> (nats-server's <c>RemoteGatewayOptsVarz</c>; no per-region TLS here).</summary>
public sealed class RemoteGatewayVarz
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";

    [JsonPropertyName("urls"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? Urls { get; init; }
}
