namespace Broker.Configuration;

/// <summary>
/// nats-server's <c>leafnodes</c> block, hub side: where leaf nodes connect (<c>listen</c>), how
/// they authenticate (<c>authorization</c>) and whether the port is encrypted (<c>tls</c>).
/// </summary>
public sealed record LeafNodeOptions
{
    /// <summary>Where leaf nodes connect. Port 0 takes a free port (tests); nats-server's default is 7422.</summary>
    public string Host { get; init; } = "0.0.0.0";
    public int Port { get; init; } = 7422;

    /// <summary>The URL leaf nodes are told to use for this node (INFO <c>leafnode_urls</c>); the bound endpoint when null.</summary>
    public string? Advertise { get; init; }

    /// <summary>Leave this node's URL out of INFO <c>leafnode_urls</c>.</summary>
    public bool NoAdvertise { get; init; }

    /// <summary><c>authorization { user, password }</c>: the one user every leaf node must present.</summary>
    public string? User { get; init; }
    public string? Password { get; init; }

    /// <summary><c>authorization { account }</c>: the account leaves bind to (the single user's, or those with no credentials).</summary>
    public string? Account { get; init; }

    /// <summary><c>authorization { users: [ { user, password, account } ] }</c>.</summary>
    public IReadOnlyList<UserOptions> Users { get; init; } = [];

    /// <summary>Time a leaf has to send CONNECT (<c>authorization.timeout</c>, default 2s; tls.timeout + 1s with TLS).</summary>
    public TimeSpan AuthTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>TLS on the leafnode port (INFO first, then the handshake, as nats-server 2.9).</summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>Whether a <c>listen</c>/<c>port</c> was given: the leafnode port is opened only then (a block with only remotes opens none).</summary>
    public bool Listens { get; init; } = true;

    /// <summary><c>remotes</c>: hubs this server connects to as a leaf.</summary>
    public IReadOnlyList<LeafRemoteOptions> Remotes { get; init; } = [];

    /// <summary><c>reconnect</c>: the base delay between attempts to a remote (nats-server's fixed 1 s; here the start of a jittered back-off).</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether the leafnode block itself names credentials (then the clients' users are not consulted).</summary>
    public bool HasOwnUsers => User is not null || Users.Count > 0;
}
