using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broker.Protocol;

/// <summary>The INFO JSON, with nats-server's field names and order.</summary>
public sealed class ServerInfo
{
    [JsonPropertyName("server_id")] public string ServerId { get; set; } = "";
    [JsonPropertyName("server_name")] public string ServerName { get; set; } = "";
    [JsonPropertyName("version")] public string Version { get; set; } = "";
    [JsonPropertyName("proto")] public int Proto { get; set; } = 1;

    /// <summary>nats-server's Go runtime; here the .NET runtime that runs the broker (as /varz says too).</summary>
    [JsonPropertyName("go")] public string Go { get; set; } = "";
    [JsonPropertyName("host")] public string Host { get; set; } = "";
    [JsonPropertyName("port")] public int Port { get; set; }
    [JsonPropertyName("headers")] public bool Headers { get; set; } = true;

    [JsonPropertyName("auth_required")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool AuthRequired { get; set; }

    [JsonPropertyName("tls_required")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool TlsRequired { get; set; }

    [JsonPropertyName("tls_verify")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool TlsVerify { get; set; }

    [JsonPropertyName("max_payload")] public int MaxPayload { get; set; }
    [JsonPropertyName("client_id")] public ulong ClientId { get; set; }
    [JsonPropertyName("client_ip")] public string? ClientIp { get; set; }

    /// <summary>Random per connection when NKey or JWT users exist: the client signs it to prove its key.</summary>
    [JsonPropertyName("nonce")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Nonce { get; set; }

    /// <summary>The cluster's name, when this server is part of one (nats-server sends it too).</summary>
    [JsonPropertyName("cluster")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Cluster { get; set; }

    [JsonPropertyName("connect_urls")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? ConnectUrls { get; set; }

    /// <summary>Set in the INFO a server in lame duck mode sends its clients: it is about to close them.</summary>
    [JsonPropertyName("ldm")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool LameDuckMode { get; set; }

    /// <summary>The whole frame: <c>INFO {...} \r\n</c>.</summary>
    public byte[] ToFrame()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(this, ProtocolJsonContext.Default.ServerInfo);
        var frame = new byte[ProtocolBytes.InfoPrefix.Length + json.Length + ProtocolBytes.InfoSuffix.Length];
        ProtocolBytes.InfoPrefix.CopyTo(frame);
        json.CopyTo(frame.AsSpan(ProtocolBytes.InfoPrefix.Length));
        ProtocolBytes.InfoSuffix.CopyTo(frame.AsSpan(ProtocolBytes.InfoPrefix.Length + json.Length));
        return frame;
    }
}
