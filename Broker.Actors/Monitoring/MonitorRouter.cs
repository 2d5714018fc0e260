using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using Broker.Runtime;

namespace Broker.Monitoring;

/// <summary>
/// Sends each request to the endpoint of its exact path, as nats-server's mux does: an unknown
/// path gets Go's 404 text, a bad query value a 400 with the reason. Counts requests per path for
/// /varz's <c>http_req_stats</c>, and wraps JSON in <c>callback(...)</c> when asked (JSONP, as nats-server).
/// </summary>
public sealed class MonitorRouter
{
    private readonly Dictionary<string, IMonitorEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ulong> _requests = new(StringComparer.Ordinal);

    /// <summary>Every endpoint of one broker.</summary>
    public static MonitorRouter Create(ServerContext server)
    {
        var router = new MonitorRouter();
        router.Add(new VarzEndpoint(server, router, new ProcessUsage()));
        router.Add(new ConnzEndpoint(server));
        router.Add(new SubszEndpoint(server));
        router.Add(new AccountzEndpoint(server));
        router.Add(new RoutezEndpoint(server));
        router.Add(new GatewayzEndpoint(server));
        router.Add(new LeafzEndpoint(server));
        router.Add(new HealthzEndpoint(server));
        router.Add(new MetricsEndpoint(server));
        router.Add(new DashboardEndpoint());
        return router;
    }

    public void Add(IMonitorEndpoint endpoint) => _endpoints.Add(endpoint.Path, endpoint);

    /// <summary>Requests served so far, by path (only paths that exist are counted).</summary>
    public IReadOnlyDictionary<string, ulong> RequestCounts => new SortedDictionary<string, ulong>(_requests, StringComparer.Ordinal);

    /// <summary>The answer to one request, without HTTP: tests and the Kestrel adapter both call this.</summary>
    public MonitorResponse Respond(string path, string? queryString)
    {
        if (!_endpoints.TryGetValue(path, out var endpoint)) return MonitorResponse.NotFound;
        _requests.AddOrUpdate(path, 1, static (_, n) => n + 1);
        var request = MonitorRequest.Parse(queryString);
        MonitorResponse response;
        try
        {
            response = endpoint.Respond(request);
        }
        catch (MonitorQueryException e)
        {
            return MonitorResponse.Text(400, e.Message);
        }
        var callback = request.Text("callback");
        if (callback.Length == 0 || response.ContentType != MonitorResponse.JsonType) return response;
        var wrapped = Encoding.UTF8.GetBytes($"{callback}({Encoding.UTF8.GetString(response.Body)})");
        return response with { ContentType = "application/javascript", Body = wrapped };
    }

    public async Task HandleAsync(HttpContext context)
    {
        var response = Respond(context.Request.Path.Value ?? "/", context.Request.QueryString.Value);
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        context.Response.ContentLength = response.Body.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
    }
}
