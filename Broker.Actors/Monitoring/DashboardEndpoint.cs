namespace Broker.Monitoring;

/// <summary>
/// <c>/</c>: a self-contained live dashboard (inline CSS and JavaScript, no CDN) that polls
/// /varz and /connz: connections, subscriptions, slow consumers, message counts and a chart of
/// the last five minutes' throughput. <c>?interval=ms</c> sets the polling period (default 1s).
/// </summary>
public sealed class DashboardEndpoint : IMonitorEndpoint
{
    public const string ResourceName = "Broker.Monitoring.Dashboard.html";

    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(DashboardEndpoint).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the dashboard resource {ResourceName} is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public string Path => "/";

    public MonitorResponse Respond(MonitorRequest request) => new(200, "text/html; charset=utf-8", Page.Value);
}
