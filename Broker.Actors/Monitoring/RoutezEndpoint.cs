using System.Text.Json.Serialization;
using Broker.Server;

namespace Broker.Monitoring;

/// <summary><c>/routez</c>: no routes until clustering lands, in nats-server's shape.</summary>
public sealed class RoutezEndpoint(ServerContext server) : IMonitorEndpoint
{
    public string Path => "/routez";

    public MonitorResponse Respond(MonitorRequest request)
    {
        request.Subscriptions();
        var routez = new Routez { ServerId = server.ServerId, Now = GoFormat.Time(request.Now) };
        return MonitorResponse.Json(routez, MonitorJsonContext.Indented.Routez);
    }
}

/// <summary>The /routez body (nats-server's <c>Routez</c>); route entries come with clustering.</summary>
public sealed class Routez
{
    [JsonPropertyName("server_id")] public string ServerId { get; init; } = "";
    [JsonPropertyName("now")] public string Now { get; init; } = "";
    [JsonPropertyName("num_routes")] public int NumRoutes { get; init; }
    [JsonPropertyName("routes")] public EmptyObject[] Routes { get; init; } = [];
}
