using System.Diagnostics.Metrics;
using Broker.Runtime;

namespace Broker.Monitoring;

/// <summary>
/// The broker's counters as .NET metrics: observable instruments of a <see cref="Meter"/> named
/// "Broker" (for OpenTelemetry and dotnet-counters), and the same list for /metrics in
/// Prometheus's text format. Values are read when a listener or a scrape asks, never on the
/// message path. Each measurement carries the server id, as several brokers can share a process.
/// </summary>
public sealed class BrokerMetrics : IDisposable
{
    public const string MeterName = "Broker";

    /// <summary>A listener observes every instrument in one burst: they share one sample that young.</summary>
    private const long SampleReuseMilliseconds = 50;

    private readonly ServerContext _server;
    private readonly Meter _meter;
    private readonly object _sampleGate = new();
    private ServerSample? _sample;
    private long _sampledAt;

    public BrokerMetrics(ServerContext server)
    {
        _server = server;
        _meter = new Meter(MeterName);
        var tags = new KeyValuePair<string, object?>[] { new("server.id", server.ServerId) };
        foreach (var metric in All)
        {
            Func<Measurement<double>> observe = () => new Measurement<double>(metric.Value(Sample()), tags);
            if (metric.Kind == MetricKind.Counter) _meter.CreateObservableCounter(metric.Name, observe, metric.Unit, metric.Description);
            else _meter.CreateObservableGauge(metric.Name, observe, metric.Unit, metric.Description);
        }
    }

    /// <summary>Every metric: its instrument name, its Prometheus name, and how to read it from a sample.</summary>
    public static IReadOnlyList<BrokerMetric> All { get; } =
    [
        new("broker.messages.received", "broker_in_msgs_total", "{message}", "Messages received from clients (varz in_msgs)", MetricKind.Counter, s => s.Traffic.InMsgs),
        new("broker.messages.sent", "broker_out_msgs_total", "{message}", "Messages delivered to clients (varz out_msgs)", MetricKind.Counter, s => s.Traffic.OutMsgs),
        new("broker.bytes.received", "broker_in_bytes_total", "By", "Payload bytes received from clients, headers included (varz in_bytes)", MetricKind.Counter, s => s.Traffic.InBytes),
        new("broker.bytes.sent", "broker_out_bytes_total", "By", "Payload bytes delivered to clients (varz out_bytes)", MetricKind.Counter, s => s.Traffic.OutBytes),
        new("broker.connections", "broker_connections", "{connection}", "Client connections open now (varz connections)", MetricKind.Gauge, s => s.Connections),
        new("broker.connections.accepted", "broker_connections_accepted_total", "{connection}", "Client connections accepted since start (varz total_connections)", MetricKind.Counter, s => s.TotalConnections),
        new("broker.slow_consumers", "broker_slow_consumers_total", "{connection}", "Clients cut off as slow consumers (varz slow_consumers)", MetricKind.Counter, s => s.SlowConsumers),
        new("broker.subscriptions", "broker_subscriptions", "{subscription}", "Subscriptions now (varz subscriptions)", MetricKind.Gauge, s => s.Subscriptions),
        new("broker.pending.bytes", "broker_pending_bytes", "By", "Bytes queued for clients and not yet written, summed over connections", MetricKind.Gauge, s => s.PendingBytes),
        new("broker.uptime", "broker_uptime_seconds", "s", "Time since the broker started", MetricKind.Gauge, s => s.Uptime.TotalSeconds),
        new("broker.memory", "broker_memory_bytes", "By", "Resident memory of the process (varz mem)", MetricKind.Gauge, s => s.Memory),
        new("broker.cpu.time", "broker_cpu_seconds_total", "s", "CPU time used by the process", MetricKind.Counter, s => s.CpuTime.TotalSeconds),
    ];

    public void Dispose() => _meter.Dispose();

    private ServerSample Sample()
    {
        lock (_sampleGate)
        {
            var now = Environment.TickCount64;
            if (_sample is null || now - _sampledAt > SampleReuseMilliseconds)
            {
                _sample = ServerSample.Of(_server);
                _sampledAt = now;
            }
            return _sample;
        }
    }
}

public enum MetricKind { Counter, Gauge }

/// <summary>One metric: names for .NET and for Prometheus, unit, help text, kind, and its reading.</summary>
public sealed record BrokerMetric(string Name, string PrometheusName, string Unit, string Description, MetricKind Kind, Func<ServerSample, double> Value);
