using System.Diagnostics.Metrics;
using System.Globalization;
using Broker.Monitoring;
using static Broker.Tests.Monitoring.CounterTests;

namespace Broker.Tests.Monitoring;

/// <summary>/metrics in Prometheus's text format and the "Broker" meter agree with /varz.</summary>
public class MetricsTests
{
    [Fact]
    public async Task Prometheus_text_has_every_metric_with_help_and_type_and_the_varz_counts()
    {
        await using var broker = await MonitoredBroker.StartAsync(o => o with { ServerName = "prom" });
        await using var sub = await broker.ConnectRawAsync("sub", "SUB m 1\r\n");
        await using var pub = await broker.ConnectRawAsync("pub", "PUB m 4\r\nabcd\r\nPUB m 4\r\nefgh\r\n");
        var varz = await broker.Http.WaitForAsync("/varz", v => Long(v, "out_msgs") == 2);

        var reply = await broker.Http.GetAsync("/metrics");

        Assert.Equal(200, reply.Status);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", reply.ContentType);
        var lines = reply.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var metric in BrokerMetrics.All)
        {
            Assert.Contains($"# TYPE {metric.PrometheusName} {(metric.Kind == MetricKind.Counter ? "counter" : "gauge")}", lines);
            Assert.Contains(lines, l => l.StartsWith($"# HELP {metric.PrometheusName} ", StringComparison.Ordinal));
            if (metric.Kind == MetricKind.Counter) Assert.EndsWith("_total", metric.PrometheusName);
        }
        var values = lines.Where(l => !l.StartsWith('#')).ToDictionary(l => l[..l.LastIndexOf(' ')], l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        Assert.Equal(2, values["broker_in_msgs_total"]);
        Assert.Equal(8, values["broker_in_bytes_total"]);
        Assert.Equal(2, values["broker_out_msgs_total"]);
        Assert.Equal(8, values["broker_out_bytes_total"]);
        Assert.Equal(2, values["broker_connections"]);
        Assert.Equal(2, values["broker_connections_accepted_total"]);
        Assert.Equal(1 + broker.InternalSubscriptions, values["broker_subscriptions"]);
        Assert.Equal(0, values["broker_slow_consumers_total"]);
        Assert.True(values["broker_memory_bytes"] > 0);
        Assert.True(values["broker_cpu_seconds_total"] > 0);
        var id = (string)varz["server_id"]!;
        Assert.Equal(1, values[$"broker_info{{server_id=\"{id}\",server_name=\"prom\",version=\"2.9.10\"}}"]);
    }

    [Fact]
    public async Task The_broker_meter_reports_the_same_counters_to_a_listener()
    {
        await using var broker = await MonitoredBroker.StartAsync();
        var serverId = broker.Broker.Server.Context.ServerId;
        await using var sub = await broker.ConnectRawAsync("sub", "SUB m 1\r\n");
        await using var pub = await broker.ConnectRawAsync("pub", "PUB m 3\r\nabc\r\n");
        await broker.Http.WaitForAsync("/varz", v => Long(v, "out_msgs") == 1);

        var seen = new Dictionary<string, double>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == BrokerMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            {
                // Other brokers of this test run have their own instruments under the same meter name.
                foreach (var tag in tags)
                {
                    if (tag.Key == "server.id" && (string?)tag.Value == serverId) seen[instrument.Name] = value;
                }
            });
            listener.Start();
            listener.RecordObservableInstruments();
        }

        Assert.Equal(BrokerMetrics.All.Select(m => m.Name).Order(), seen.Keys.Order());
        Assert.Equal(1, seen["broker.messages.received"]);
        Assert.Equal(3, seen["broker.bytes.received"]);
        Assert.Equal(1, seen["broker.messages.sent"]);
        Assert.Equal(3, seen["broker.bytes.sent"]);
        Assert.Equal(2, seen["broker.connections"]);
        Assert.Equal(1 + broker.InternalSubscriptions, seen["broker.subscriptions"]);
    }

    [Fact]
    public async Task The_meter_goes_away_with_the_broker()
    {
        var broker = await MonitoredBroker.StartAsync();
        var serverId = broker.Broker.Server.Context.ServerId;
        await broker.DisposeAsync();

        var seen = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BrokerMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "server.id" && (string?)tag.Value == serverId) seen++;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(0, seen);
    }
}
