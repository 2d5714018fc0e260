namespace Broker.Configuration;

/// <summary>
/// One entry of nats-server's <c>leafnodes.remotes</c>: a hub this server connects out to as its
/// leaf, the local account it extends there, and how it proves who it is (URL userinfo, or a
/// <c>.creds</c> file whose seed signs the hub's nonce).
/// </summary>
public sealed record LeafRemoteOptions
{
    /// <summary><c>url</c>/<c>urls</c>, tried in turn; userinfo (<c>nats://user:pass@host:7422</c>) is the CONNECT's user and password.</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [];

    /// <summary>The local account the link binds to (<c>account</c>; <c>$G</c> when absent).</summary>
    public string LocalAccount { get; init; } = Configuration.AccountNames.Global;

    /// <summary>A <c>.creds</c> file: user JWT and seed (operator mode hubs).</summary>
    public string? Credentials { get; init; }

    /// <summary>TLS towards the hub; with only a CA it verifies the hub, with a certificate it presents one.</summary>
    public LeafRemoteTls? Tls { get; init; }

    /// <summary><c>deny_imports</c>: subjects not received from the hub (no LS+ for them); <c>deny_exports</c>: not sent to it.</summary>
    public IReadOnlyList<string> DenyImports { get; init; } = [];
    public IReadOnlyList<string> DenyExports { get; init; } = [];

    /// <summary><c>hub: true</c>: this server, though it connects out, is the hub of the link and the acceptor its spoke (CONNECT <c>is_hub</c>).</summary>
    public bool Hub { get; init; }

    /// <summary>The first delay before reconnecting (<c>leafnodes.reconnect</c>).</summary>
    public TimeSpan ReconnectBase { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>A remote's <c>tls { ca_file, cert_file, key_file, insecure }</c> as a client of the hub.</summary>
public sealed record LeafRemoteTls
{
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; init; }
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection? Authorities { get; init; }
    public bool Insecure { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);
}
