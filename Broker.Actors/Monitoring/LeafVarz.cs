using System.Text.Json.Serialization;
using Broker.Configuration;

namespace Broker.Monitoring;

/// <summary>/varz's <c>leaf</c> (nats-server 2.9's <c>LeafNodeOptsVarz</c>): every field omitted when empty, so no <c>leafnodes</c> block shows <c>{}</c>.</summary>
public sealed class LeafVarz
{
    [JsonPropertyName("host"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Host { get; init; }

    [JsonPropertyName("port"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Port { get; init; }

    [JsonPropertyName("auth_timeout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double AuthTimeout { get; init; }

    [JsonPropertyName("tls_timeout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double TlsTimeout { get; init; }

    [JsonPropertyName("tls_required"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool TlsRequired { get; init; }

    [JsonPropertyName("tls_verify"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool TlsVerify { get; init; }

    [JsonPropertyName("remotes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LeafRemoteVarz[]? Remotes { get; init; }

    internal static LeafVarz Of(LeafNodes.LeafNodeServer? leafs)
    {
        if (leafs is null) return new LeafVarz();
        var options = leafs.Options;
        return new LeafVarz
        {
            Host = options.Listens ? options.Host : null,
            Port = leafs.EndPoint?.Port ?? 0,
            AuthTimeout = options.AuthTimeout.TotalSeconds,
            // nats-server shows its default handshake timeout (2 s) without TLS too.
            TlsTimeout = options.Listens ? options.Tls?.Timeout.TotalSeconds ?? 2 : 0,
            TlsRequired = options.Tls is not null,
            TlsVerify = options.Tls?.Verify ?? false,
            Remotes = options.Remotes.Count == 0 ? null : options.Remotes.Select(LeafRemoteVarz.Of).ToArray(),
        };
    }
}

/// <summary>One remote in /varz <c>leaf.remotes</c> (nats-server's <c>RemoteLeafOptsVarz</c>); URLs without their credentials.</summary>
public sealed class LeafRemoteVarz
{
    [JsonPropertyName("local_account"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LocalAccount { get; init; }

    [JsonPropertyName("tls_timeout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double TlsTimeout { get; init; }

    [JsonPropertyName("urls"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? Urls { get; init; }

    [JsonPropertyName("deny"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LeafDenyVarz? Deny { get; init; }

    internal static LeafRemoteVarz Of(LeafRemoteOptions remote) => new()
    {
        LocalAccount = remote.LocalAccount,
        TlsTimeout = remote.Tls?.Timeout.TotalSeconds ?? 0,
        Urls = remote.Urls.Select(u => $"{u.Host}:{(u.Port == -1 ? 7422 : u.Port)}").ToArray(),
        Deny = remote.DenyImports.Count == 0 && remote.DenyExports.Count == 0
            ? null
            : new LeafDenyVarz { Exports = remote.DenyExports.Count == 0 ? null : [.. remote.DenyExports], Imports = remote.DenyImports.Count == 0 ? null : [.. remote.DenyImports] },
    };
}

public sealed class LeafDenyVarz
{
    [JsonPropertyName("exports"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? Exports { get; init; }

    [JsonPropertyName("imports"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? Imports { get; init; }
}
