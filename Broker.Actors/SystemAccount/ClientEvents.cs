using System.Text.Json.Serialization;

namespace Broker.SystemAccount;

/// <summary>
/// <c>$SYS.ACCOUNT.&lt;account&gt;.CONNECT</c>: a client authenticated into an account (nats-server's
/// <c>ConnectEventMsg</c>, type <c>io.nats.server.advisory.v1.client_connect</c>).
/// </summary>
public sealed class ConnectEvent
{
    public const string SchemaType = "io.nats.server.advisory.v1.client_connect";

    [JsonPropertyName("type")] public string Type { get; init; } = SchemaType;
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("timestamp")] public string Timestamp { get; init; } = "";
    [JsonPropertyName("server")] public EventServerInfo Server { get; init; } = new();
    [JsonPropertyName("client")] public EventClientInfo Client { get; init; } = new();
}

/// <summary>
/// <c>$SYS.ACCOUNT.&lt;account&gt;.DISCONNECT</c>, and with the reason "Authentication Failure"
/// <c>$SYS.SERVER.&lt;id&gt;.CLIENT.AUTH.ERR</c> (nats-server's <c>DisconnectEventMsg</c>). As in
/// nats-server, <c>sent</c> is what the client sent and <c>received</c> what it was given.
/// </summary>
public sealed class DisconnectEvent
{
    public const string SchemaType = "io.nats.server.advisory.v1.client_disconnect";

    [JsonPropertyName("type")] public string Type { get; init; } = SchemaType;
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("timestamp")] public string Timestamp { get; init; } = "";
    [JsonPropertyName("server")] public EventServerInfo Server { get; init; } = new();
    [JsonPropertyName("client")] public EventClientInfo Client { get; init; } = new();
    [JsonPropertyName("sent")] public DataStats Sent { get; init; } = new();
    [JsonPropertyName("received")] public DataStats Received { get; init; } = new();
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
}
