using System.Text;
using System.Text.Json;
using Broker.Bench.Measurement;

namespace Broker.Bench.Comparison;

/// <summary>Medians per scenario, payload and metric for both servers, and their ratio; as a table and as JSON.</summary>
internal sealed class ComparisonReport
{
    private readonly IReadOnlyList<RunRecord> _records;

    public ComparisonReport(IReadOnlyList<RunRecord> records)
    {
        _records = records;
        Rows = records
            .Where(r => r.Result is not null)
            .GroupBy(r => (r.Scenario, r.PayloadSize))
            .SelectMany(g => g.First().Result!.Metrics.Select(m => Row(g.Key.Scenario, g.Key.PayloadSize, m.Name, m.Unit, m.HigherIsBetter, g)))
            .ToList();
    }

    public IReadOnlyList<ReportRow> Rows { get; }

    private static ReportRow Row(string scenario, int payload, string metric, string unit, bool higherIsBetter, IEnumerable<RunRecord> runs)
    {
        double Median(ServerKind kind, Func<RunRecord, double> pick) =>
            Percentiles.Median(runs.Where(r => r.Server == kind && r.Result is not null).Select(pick));
        double MetricOf(RunRecord r) => r.Result!.Metrics.First(m => m.Name == metric).Value;
        var broker = Median(ServerKind.Broker, MetricOf);
        var nats = Median(ServerKind.NatsServer, MetricOf);
        // Ratio above 1 means Broker is better, whichever way the metric reads.
        var ratio = higherIsBetter ? (nats == 0 ? 0 : broker / nats) : (broker == 0 ? 0 : nats / broker);
        return new ReportRow(scenario, payload, metric, unit, broker, nats, ratio,
            Median(ServerKind.Broker, r => r.Result!.ServerCpuSeconds), Median(ServerKind.NatsServer, r => r.Result!.ServerCpuSeconds),
            Median(ServerKind.Broker, r => r.Result!.ServerPeakResidentBytes / 1e6), Median(ServerKind.NatsServer, r => r.Result!.ServerPeakResidentBytes / 1e6),
            Median(ServerKind.Broker, r => r.Result!.ClientCpuSeconds), Median(ServerKind.NatsServer, r => r.Result!.ClientCpuSeconds));
    }

    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine("ratio: Broker against nats-server, above 1.00 means Broker is better (faster, or less latency/memory)");
        text.AppendLine($"{"scenario",-18} {"payload",7} {"metric",-22} {"Broker",12} {"nats-server",12} {"ratio",6}  {"cpu s B/N",11}  {"peak MB B/N",13}");
        foreach (var r in Rows)
        {
            text.AppendLine($"{r.Scenario,-18} {r.PayloadSize,7} {r.Metric,-22} {Format(r.Broker),12} {Format(r.NatsServer),12} {r.Ratio,6:0.00}  {r.BrokerCpuSeconds,5:0.0}/{r.NatsCpuSeconds,-5:0.0}  {r.BrokerPeakMb,6:0}/{r.NatsPeakMb,-6:0}  {r.Unit}");
        }
        foreach (var failed in _records.Where(r => r.Error is not null))
            text.AppendLine($"FAILED {failed.Scenario} {failed.PayloadSize} B on {failed.Server} (pair {failed.Pair}): {failed.Error}");
        return text.ToString();
    }

    private static string Format(double value) => value >= 1000 ? value.ToString("N0") : value.ToString("0.0");

    public string ToJson(IReadOnlyDictionary<string, string> about) =>
        JsonSerializer.Serialize(new { about, medians = Rows, runs = _records }, new JsonSerializerOptions { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } });
}

internal sealed record ReportRow(
    string Scenario, int PayloadSize, string Metric, string Unit, double Broker, double NatsServer, double Ratio,
    double BrokerCpuSeconds, double NatsCpuSeconds, double BrokerPeakMb, double NatsPeakMb, double BrokerClientCpuSeconds, double NatsClientCpuSeconds);
