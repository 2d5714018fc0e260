using System.Text.Json.Serialization;

namespace Broker.Monitoring;

/// <summary>
/// The /varz body, with nats-server 2.9's field names and order. Durations are nanoseconds and
/// auth_timeout seconds, as Go marshals them; fields nats-server omits when empty are left out here too.
/// </summary>
public sealed class Varz
{
    [JsonPropertyName("server_id")] public string ServerId { get; init; } = "";
    [JsonPropertyName("server_name")] public string ServerName { get; init; } = "";
    [JsonPropertyName("version")] public string Version { get; init; } = "";
    [JsonPropertyName("proto")] public int Proto { get; init; } = 1;

    /// <summary>nats-server's Go version; here the .NET runtime's description.</summary>
    [JsonPropertyName("go")] public string Go { get; init; } = "";

    [JsonPropertyName("host")] public string Host { get; init; } = "";
    [JsonPropertyName("port")] public int Port { get; init; }

    [JsonPropertyName("auth_required"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool AuthRequired { get; init; }

    [JsonPropertyName("tls_required"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool TlsRequired { get; init; }

    [JsonPropertyName("tls_verify"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool TlsVerify { get; init; }

    /// <summary>Every cluster node's client URL (this one's first); nats-server omits it on a single server.</summary>
    [JsonPropertyName("connect_urls"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? ConnectUrls { get; init; }

    [JsonPropertyName("max_connections")] public int MaxConnections { get; init; }

    [JsonPropertyName("max_subscriptions"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int MaxSubscriptions { get; init; }

    [JsonPropertyName("ping_interval")] public long PingInterval { get; init; }
    [JsonPropertyName("ping_max")] public int PingMax { get; init; }
    [JsonPropertyName("http_host")] public string HttpHost { get; init; } = "";
    [JsonPropertyName("http_port")] public int HttpPort { get; init; }
    [JsonPropertyName("http_base_path")] public string HttpBasePath { get; init; } = "";
    [JsonPropertyName("https_port")] public int HttpsPort { get; init; }
    [JsonPropertyName("auth_timeout")] public double AuthTimeout { get; init; }
    [JsonPropertyName("max_control_line")] public int MaxControlLine { get; init; }
    [JsonPropertyName("max_payload")] public int MaxPayload { get; init; }
    [JsonPropertyName("max_pending")] public long MaxPending { get; init; }

    [JsonPropertyName("cluster")] public ClusterVarz Cluster { get; init; } = new();

    [JsonPropertyName("gateway")] public GatewayVarz Gateway { get; init; } = new();

    [JsonPropertyName("leaf")] public LeafVarz Leaf { get; init; } = new();

    // MQTT, websockets and JetStream: empty until they exist.
    [JsonPropertyName("mqtt")] public EmptyObject Mqtt { get; init; } = new();
    [JsonPropertyName("websocket")] public EmptyObject Websocket { get; init; } = new();
    [JsonPropertyName("jetstream")] public EmptyObject JetStream { get; init; } = new();

    [JsonPropertyName("tls_timeout")] public double TlsTimeout { get; init; }
    [JsonPropertyName("write_deadline")] public long WriteDeadline { get; init; }
    [JsonPropertyName("start")] public string Start { get; init; } = "";
    [JsonPropertyName("now")] public string Now { get; init; } = "";
    [JsonPropertyName("uptime")] public string Uptime { get; init; } = "";
    [JsonPropertyName("mem")] public long Mem { get; init; }
    [JsonPropertyName("cores")] public int Cores { get; init; }
    [JsonPropertyName("gomaxprocs")] public int GoMaxProcs { get; init; }
    [JsonPropertyName("cpu")] public double Cpu { get; init; }
    [JsonPropertyName("connections")] public int Connections { get; init; }
    [JsonPropertyName("total_connections")] public long TotalConnections { get; init; }
    /// <summary>Routes: the cluster nodes this one exchanges with (as /routez's <c>num_routes</c>).</summary>
    [JsonPropertyName("routes")] public int Routes { get; init; }

    /// <summary>Remote servers known (nats-server counts each by server id); one per route here.</summary>
    [JsonPropertyName("remotes")] public int Remotes { get; init; }
    [JsonPropertyName("leafnodes")] public int LeafNodes { get; init; }
    [JsonPropertyName("in_msgs")] public long InMsgs { get; init; }
    [JsonPropertyName("out_msgs")] public long OutMsgs { get; init; }
    [JsonPropertyName("in_bytes")] public long InBytes { get; init; }
    [JsonPropertyName("out_bytes")] public long OutBytes { get; init; }
    [JsonPropertyName("slow_consumers")] public long SlowConsumers { get; init; }
    [JsonPropertyName("subscriptions")] public long Subscriptions { get; init; }
    [JsonPropertyName("http_req_stats")] public IReadOnlyDictionary<string, ulong> HttpReqStats { get; init; } = new Dictionary<string, ulong>();
    [JsonPropertyName("config_load_time")] public string ConfigLoadTime { get; init; } = "";

    /// <summary>The system account's name; nats-server omits it with <c>no_system_account</c>.</summary>
    [JsonPropertyName("system_account"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SystemAccount { get; init; }
}

/// <summary>A Go struct whose fields are all empty and omitted: <c>{}</c>.</summary>
public sealed class EmptyObject;
