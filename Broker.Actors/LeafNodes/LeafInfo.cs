using System.Text.Json;
using System.Text.Json.Serialization;
using Broker.Protocol;

namespace Broker.LeafNodes;

/// <summary>The leafnode port's INFO, with nats-server 2.9's field names and order (leafnode.go <c>startLeafNodeAcceptLoop</c>, <c>sendPermsAndAccountInfo</c>).</summary>
public sealed class LeafInfo
{
    [JsonPropertyName("server_id")] public string ServerId { get; set; } = "";
    [JsonPropertyName("server_name")] public string ServerName { get; set; } = "";
    [JsonPropertyName("version")] public string Version { get; set; } = "";
    [JsonPropertyName("proto")] public int Proto { get; set; } = 1;
    [JsonPropertyName("host")] public string Host { get; set; } = "";
    [JsonPropertyName("port")] public int Port { get; set; }
    [JsonPropertyName("headers")] public bool Headers { get; set; } = true;

    /// <summary>Always true on the leafnode port, as nats-server.</summary>
    [JsonPropertyName("auth_required")] public bool AuthRequired { get; set; } = true;

    [JsonPropertyName("tls_required")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool TlsRequired { get; set; }

    [JsonPropertyName("tls_verify")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool TlsVerify { get; set; }

    [JsonPropertyName("max_payload")] public int MaxPayload { get; set; }

    [JsonPropertyName("ip")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Ip { get; set; }

    [JsonPropertyName("client_id")] public ulong ClientId { get; set; }

    /// <summary>Second INFO: what the leaf may receive (the bound user's subscribe permission).</summary>
    [JsonPropertyName("import")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LeafSubjectPermission? Import { get; set; }

    /// <summary>Second INFO: what the leaf may send (the bound user's publish permission).</summary>
    [JsonPropertyName("export")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LeafSubjectPermission? Export { get; set; }

    /// <summary>Always present on the leafnode port: a leaf with credentials signs it.</summary>
    [JsonPropertyName("nonce")] public string Nonce { get; set; } = "";

    [JsonPropertyName("leafnode_urls")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? LeafNodeUrls { get; set; }

    [JsonPropertyName("remote_account")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RemoteAccount { get; set; }

    /// <summary>True on the INFO that follows a good CONNECT (the leaf waits for it, 2 s).</summary>
    [JsonPropertyName("connect_info")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ConnectInfo { get; set; }

    [JsonPropertyName("info_on_connect")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool InfoOnConnect { get; set; }

    /// <summary>An INFO's JSON as a leaf reads it; null when it is not JSON.</summary>
    public static LeafInfo? TryParse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, LeafJsonContext.Default.LeafInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The whole frame: <c>INFO {...} \r\n</c>.</summary>
    public byte[] ToFrame()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(this, LeafJsonContext.Default.LeafInfo);
        return [.. ProtocolBytes.InfoPrefix, .. json, .. ProtocolBytes.InfoSuffix];
    }
}

/// <summary>A leaf's CONNECT (leafnode.go <c>leafConnectInfo</c>). Unknown fields are ignored.</summary>
public sealed class LeafConnect
{
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("jwt")] public string? Jwt { get; set; }
    [JsonPropertyName("nkey")] public string? Nkey { get; set; }
    [JsonPropertyName("sig")] public string? Sig { get; set; }
    [JsonPropertyName("user")] public string? User { get; set; }
    [JsonPropertyName("pass")] public string? Pass { get; set; }
    [JsonPropertyName("auth_token")] public string? AuthToken { get; set; }
    [JsonPropertyName("tls_required")] public bool TlsRequired { get; set; }
    [JsonPropertyName("server_id")] public string? ServerId { get; set; }
    [JsonPropertyName("domain")] public string? Domain { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("is_hub")] public bool IsHub { get; set; }
    [JsonPropertyName("cluster")] public string? Cluster { get; set; }
    [JsonPropertyName("headers")] public bool Headers { get; set; }
    [JsonPropertyName("gateway")] public string? Gateway { get; set; }

    [JsonPropertyName("deny_pub")] public string[]? DenyPublish { get; set; }

    /// <summary>Only client libraries send it: a client on the leafnode port.</summary>
    [JsonPropertyName("lang")] public string? Lang { get; set; }

    public bool HasCredentials => !string.IsNullOrEmpty(User) || !string.IsNullOrEmpty(Pass) || !string.IsNullOrEmpty(Jwt) || !string.IsNullOrEmpty(Nkey) || !string.IsNullOrEmpty(AuthToken);

    public static LeafConnect? TryParse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, LeafJsonContext.Default.LeafConnect) ?? new LeafConnect();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The credentials as a client CONNECT, for the clients' authenticator (a leaf may present a client user).</summary>
    public byte[] ToFrame()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(this, LeafJsonContext.Default.LeafConnect);
        return [.. "CONNECT "u8, .. json, .. "\r\n"u8];
    }

    public ConnectOptions AsClientCredentials() => new() { User = User, Pass = Pass, Jwt = Jwt, Nkey = Nkey, Sig = Sig, AuthToken = AuthToken };
}

/// <summary>Fields left null are left out, as Go's omitempty does: a CONNECT with <c>"lang":null</c> would read as a client's.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LeafInfo))]
[JsonSerializable(typeof(LeafConnect))]
internal sealed partial class LeafJsonContext : JsonSerializerContext;
