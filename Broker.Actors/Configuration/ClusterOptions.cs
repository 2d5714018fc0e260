namespace Broker.Configuration;

/// <summary>
/// nats-server's <c>cluster</c> block: this node's cluster endpoint (<c>listen</c>, Akka remoting
/// here instead of nats routes) and the other nodes' endpoints (<c>routes</c>).
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>The cluster's name (nats-server's <c>name</c>); every node of one cluster should give the same one.</summary>
    public string Name { get; init; } = "";

    /// <summary>This node's cluster endpoint; the other nodes reach it at this address, so it is not a wildcard one.</summary>
    public required ClusterEndpoint Listen { get; init; }

    /// <summary>The other nodes' cluster endpoints (this node's own may be among them, as in nats-server configs shared by all nodes).</summary>
    public IReadOnlyList<ClusterEndpoint> Routes { get; init; } = [];

    /// <summary>What the other nodes must prove to join this one (<c>cluster.authorization</c>); null: anyone may, as in nats-server.</summary>
    public LinkAuthorization? Authorization { get; init; }

    /// <summary>The user info of the first route URL that has one (<c>nats-route://user:pass@host:port</c>).</summary>
    public LinkCredentials? RouteCredentials { get; init; }

    /// <summary>
    /// <c>cluster.tls</c>: Akka remoting and the data connections both carry TLS, and each side's
    /// certificate must chain to <c>ca_file</c> (always both ways, as nats-server's routes).
    /// </summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>What this node proves to the others: its routes' credentials, else its own authorization's (as nats-server).</summary>
    public LinkCredentials? Credentials => RouteCredentials ?? Authorization?.Credentials;

    /// <summary>nats-server's <c>cluster.advertise</c>: the address the other nodes reach this one at, when not <see cref="Listen"/> (behind NAT, in a container).</summary>
    public ClusterEndpoint? Advertise { get; init; }

    /// <summary>nats-server's <c>cluster.no_advertise</c>: clients' INFO carries no <c>connect_urls</c>.</summary>
    public bool NoAdvertise { get; init; }
}

/// <summary>A host and port of a node's cluster endpoint.</summary>
public sealed record ClusterEndpoint(string Host, int Port) : IComparable<ClusterEndpoint>
{
    /// <summary>Parses <c>nats-route://host:port</c>, <c>nats://host:port</c> or <c>host:port</c>; null when it is none of these.</summary>
    public static ClusterEndpoint? TryParse(string text) => TryParse(text, out _);

    /// <summary>As <see cref="TryParse(string)"/>, keeping the URL's <c>user:pass@</c> (or <c>token@</c>) in <paramref name="credentials"/>.</summary>
    public static ClusterEndpoint? TryParse(string text, out LinkCredentials? credentials)
    {
        credentials = null;
        text = text.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var name = text[..scheme].ToLowerInvariant();
            if (name is not ("nats-route" or "nats" or "route" or "tls")) return null;
            text = text[(scheme + 3)..];
        }
        var at = text.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = text[..at];
            var colonAt = userInfo.IndexOf(':');
            credentials = colonAt < 0
                ? new LinkCredentials(Uri.UnescapeDataString(userInfo), null)
                : new LinkCredentials(Uri.UnescapeDataString(userInfo[..colonAt]), Uri.UnescapeDataString(userInfo[(colonAt + 1)..]));
            text = text[(at + 1)..];
        }
        text = text.TrimEnd('/');
        var colon = text.LastIndexOf(':');
        if (colon <= 0) return null;
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (!int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535 || host.Length == 0)
        {
            return null;
        }
        return new ClusterEndpoint(host, port);
    }

    public int CompareTo(ClusterEndpoint? other)
    {
        if (other is null) return 1;
        var byHost = string.CompareOrdinal(Host, other.Host);
        return byHost != 0 ? byHost : Port.CompareTo(other.Port);
    }

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
