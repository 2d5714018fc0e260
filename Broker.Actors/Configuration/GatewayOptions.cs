namespace Broker.Configuration;

/// <summary>
/// nats-server's <c>gateway</c> block: this node's region (<c>name</c>), its gateway endpoint
/// (<c>listen</c>) and the other regions with the gateway URLs of some of their nodes.
/// </summary>
public sealed record GatewayOptions
{
    /// <summary>This node's region; equal to <c>cluster.name</c> when both are set.</summary>
    public required string Name { get; init; }

    /// <summary>Where other regions' nodes connect to this one. Port 0 takes a free port (tests).</summary>
    public required ClusterEndpoint Listen { get; init; }

    /// <summary>The other regions, each with one or more of its nodes' gateway URLs; the rest are learned from the region itself.</summary>
    public IReadOnlyList<RemoteGatewayOptions> Remotes { get; init; } = [];

    /// <summary>Refuse inbound links from regions not in <see cref="Remotes"/> (nats-server's <c>reject_unknown_cluster</c>).</summary>
    public bool RejectUnknown { get; init; }

    /// <summary>What other regions' nodes must present on this node's gateway port (<c>gateway.authorization</c>); null: anyone may, as in nats-server.</summary>
    public LinkAuthorization? Authorization { get; init; }

    /// <summary><c>gateway.tls</c>: every gateway connection carries TLS, each side's certificate checked against <c>ca_file</c>.</summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>The TLS this node dials <paramref name="remote"/> with: the entry's own <c>tls</c>, else the gateway's.</summary>
    public TlsOptions? TlsFor(RemoteGatewayOptions remote) => remote.Tls ?? Tls;

    /// <summary>What this node presents to <paramref name="remote"/>: its URL's credentials, else this gateway's own authorization's.</summary>
    public LinkCredentials? CredentialsFor(RemoteGatewayOptions remote) => remote.Credentials ?? Authorization?.CredentialsOf(Name);
}

/// <summary>One remote region of the <c>gateways</c> list.</summary>
public sealed record RemoteGatewayOptions(string Name, IReadOnlyList<ClusterEndpoint> Urls)
{
    /// <summary>The user info of the first of its URLs that has one; used for every URL of the region, learned ones included.</summary>
    public LinkCredentials? Credentials { get; init; }

    /// <summary>The entry's own <c>tls</c> block, for the connections to this region.</summary>
    public TlsOptions? Tls { get; init; }
}
