using System.Net;
using System.Text.Json.Nodes;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Monitoring;

/// <summary>Plain HTTP GETs against a monitoring port, answering status, content type and body.</summary>
public sealed class MonitorClient : IDisposable
{
    private readonly HttpClient _http;

    public MonitorClient(IPEndPoint endpoint)
    {
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{endpoint.Port}"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public async Task<MonitorReply> GetAsync(string pathAndQuery)
    {
        using var response = await _http.GetAsync(pathAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        return new MonitorReply((int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "", body);
    }

    /// <summary>GET that must answer 200 with JSON; returns the parsed object.</summary>
    public async Task<JsonObject> GetJsonAsync(string pathAndQuery)
    {
        var reply = await GetAsync(pathAndQuery);
        Assert.True(reply.Status == 200, $"GET {pathAndQuery}: {reply.Status} {reply.Body}");
        Assert.Equal("application/json", reply.ContentType);
        return JsonNode.Parse(reply.Body)!.AsObject();
    }

    /// <summary>Polls until <paramref name="condition"/> holds for the JSON of the path, or fails after the deadline.</summary>
    public Task<JsonObject> WaitForAsync(string pathAndQuery, Func<JsonObject, bool> condition, int timeoutSeconds = 15) =>
        Eventually.ValueAsync(() => GetJsonAsync(pathAndQuery), condition, json => $"GET {pathAndQuery}: condition not met before the deadline; last answer: {json}", timeoutSeconds);

    public void Dispose() => _http.Dispose();
}

public sealed record MonitorReply(int Status, string ContentType, string Body);
