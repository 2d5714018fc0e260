using System.Globalization;
using System.Text;
using Broker.Runtime;

namespace Broker.Monitoring;

/// <summary>
/// <c>/metrics</c>: the counters of <see cref="BrokerMetrics"/> in Prometheus's text exposition
/// format (0.0.4), so Prometheus scrapes the broker without an exporter beside it. A
/// <c>broker_info</c> gauge carries the server's identity as labels.
/// </summary>
public sealed class MetricsEndpoint(ServerContext server) : IMonitorEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public string Path => "/metrics";

    public MonitorResponse Respond(MonitorRequest request)
    {
        var sample = ServerSample.Of(server);
        var text = new StringBuilder();
        text.Append("# HELP broker_info The broker's identity; the value is always 1\n# TYPE broker_info gauge\n");
        text.Append($"broker_info{{server_id=\"{Escape(server.ServerId)}\",server_name=\"{Escape(server.ServerName)}\",version=\"{ServerContext.ProtocolVersion}\"}} 1\n");
        foreach (var metric in BrokerMetrics.All)
        {
            text.Append("# HELP ").Append(metric.PrometheusName).Append(' ').Append(metric.Description).Append('\n');
            text.Append("# TYPE ").Append(metric.PrometheusName).Append(' ').Append(metric.Kind == MetricKind.Counter ? "counter" : "gauge").Append('\n');
            text.Append(metric.PrometheusName).Append(' ').Append(metric.Value(sample).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return new MonitorResponse(200, ContentType, Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>A label value's escapes: backslash, double quote and newline.</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
