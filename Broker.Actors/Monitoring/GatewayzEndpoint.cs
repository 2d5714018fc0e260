using System.Text.Json.Serialization;
using Broker.Server;

namespace Broker.Monitoring;

/// <summary><c>/gatewayz</c>: no gateways until superclusters land, in nats-server's shape.</summary>
public sealed class GatewayzEndpoint(ServerContext server) : IMonitorEndpoint
{
    public string Path => "/gatewayz";

    public MonitorResponse Respond(MonitorRequest request)
    {
        request.Bool("accs");
        var gatewayz = new Gatewayz { ServerId = server.ServerId, Now = GoFormat.Time(request.Now) };
        return MonitorResponse.Json(gatewayz, MonitorJsonContext.Indented.Gatewayz);
    }
}

/// <summary>The /gatewayz body (nats-server's <c>Gatewayz</c> with gateways disabled).</summary>
public sealed class Gatewayz
{
    [JsonPropertyName("server_id")] public string ServerId { get; init; } = "";
    [JsonPropertyName("now")] public string Now { get; init; } = "";
    [JsonPropertyName("outbound_gateways")] public Dictionary<string, EmptyObject> OutboundGateways { get; init; } = new();
    [JsonPropertyName("inbound_gateways")] public Dictionary<string, EmptyObject[]> InboundGateways { get; init; } = new();
}
