using System.Text.Json;
using System.Text.Json.Serialization;
using Broker.Runtime;

namespace Broker.Monitoring;

/// <summary>
/// <c>/healthz</c>: <c>{"status":"ok"}</c> while the client port accepts connections; before that
/// (and once shutdown has begun) a 503 with <c>"status":"error"</c> and the reason, as nats-server.
/// </summary>
public sealed class HealthzEndpoint(ServerContext server) : IMonitorEndpoint
{
    public string Path => "/healthz";

    public MonitorResponse Respond(MonitorRequest request)
    {
        // nats-server's JetStream switches: nothing to check without JetStream, but a bad value is still a 400.
        request.Bool("js-enabled");
        request.Bool("js-enabled-only");
        request.Bool("js-server-only");

        var health = server.IsReady
            ? new HealthStatus("ok", null)
            : new HealthStatus("error", "the server is not accepting client connections");
        // Compact, as nats-server's json.Marshal (not MarshalIndent) writes this one.
        var body = JsonSerializer.SerializeToUtf8Bytes(health, MonitorJsonContext.Compact.HealthStatus);
        return new MonitorResponse(server.IsReady ? 200 : 503, MonitorResponse.JsonType, body);
    }
}

/// <summary>The /healthz body.</summary>
public sealed record HealthStatus(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);
