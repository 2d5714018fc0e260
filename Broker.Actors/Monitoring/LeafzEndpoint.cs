using System.Text.Json.Serialization;
using Broker.Runtime;

namespace Broker.Monitoring;

/// <summary><c>/leafz</c>: no leaf nodes until they land, in nats-server's shape (<c>"leafs": null</c>).</summary>
public sealed class LeafzEndpoint(ServerContext server) : IMonitorEndpoint
{
    public string Path => "/leafz";

    public MonitorResponse Respond(MonitorRequest request)
    {
        request.Bool("subs");
        var leafz = new Leafz { ServerId = server.ServerId, Now = GoFormat.Time(request.Now) };
        return MonitorResponse.Json(leafz, MonitorJsonContext.Indented.Leafz);
    }
}

/// <summary>The /leafz body (nats-server's <c>Leafz</c>).</summary>
public sealed class Leafz
{
    [JsonPropertyName("server_id")] public string ServerId { get; init; } = "";
    [JsonPropertyName("now")] public string Now { get; init; } = "";
    [JsonPropertyName("leafnodes")] public int LeafNodes { get; init; }
    [JsonPropertyName("leafs")] public EmptyObject[]? Leafs { get; init; }
}
