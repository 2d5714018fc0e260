using System.Text;
using System.Text.Json;
using Broker.Bench.Comparison;
using Broker.Bench.Measurement;

namespace Broker.Bench.Memory;

/// <summary>Medians over the runs, Broker beside nats-server: each reading's resident memory, the peak, start-up time.</summary>
internal sealed class MemoryReport(IReadOnlyList<MemoryRun> runs)
{
    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine($"{"scenario",-16} {"reading",-16} {"Broker MB",10} {"nats MB",10} {"ratio",7}");
        foreach (var scenario in runs.Select(r => r.Scenario).Distinct())
        {
            var broker = runs.Where(r => r.Scenario == scenario && r.Server == ServerKind.Broker && r.Error is null).ToList();
            var nats = runs.Where(r => r.Scenario == scenario && r.Server == ServerKind.NatsServer && r.Error is null).ToList();
            if (broker.Count == 0 || nats.Count == 0)
            {
                text.AppendLine($"{scenario,-16} failed: {runs.FirstOrDefault(r => r.Scenario == scenario && r.Error is not null)?.Error}");
                continue;
            }
            foreach (var moment in broker[0].Readings.Select(r => r.Moment))
            {
                Row(text, scenario, moment, Median(broker, moment, r => r.ResidentBytes), Median(nats, moment, r => r.ResidentBytes));
            }
            Row(text, scenario, "peak (VmHWM)", Percentiles.Median(broker.Select(r => (double)r.Readings.Max(x => x.PeakResidentBytes))),
                Percentiles.Median(nats.Select(r => (double)r.Readings.Max(x => x.PeakResidentBytes))));
            text.AppendLine($"{scenario,-16} {"start ms",-16} {Percentiles.Median(broker.Select(r => r.StartMilliseconds)),10:0.0} {Percentiles.Median(nats.Select(r => r.StartMilliseconds)),10:0.0}");
            if (broker[0].FirstRequestMilliseconds is not null)
            {
                text.AppendLine($"{scenario,-16} {"first req ms",-16} {Percentiles.Median(broker.Select(r => r.FirstRequestMilliseconds!.Value)),10:0.000} {Percentiles.Median(nats.Select(r => r.FirstRequestMilliseconds!.Value)),10:0.000}");
                text.AppendLine($"{scenario,-16} {"next req ms",-16} {Percentiles.Median(broker.Select(r => r.FollowingRequestMilliseconds!.Value)),10:0.000} {Percentiles.Median(nats.Select(r => r.FollowingRequestMilliseconds!.Value)),10:0.000}");
            }
        }
        return text.ToString();
    }

    private static double Median(List<MemoryRun> runs, string moment, Func<MemoryReading, long> value) =>
        Percentiles.Median(runs.Select(r => r.Readings.FirstOrDefault(x => x.Moment == moment)).Select(r => (double)value(r)));

    private static void Row(StringBuilder text, string scenario, string reading, double broker, double nats) =>
        text.AppendLine($"{scenario,-16} {reading,-16} {broker / 1e6,10:0.0} {nats / 1e6,10:0.0} {(nats > 0 ? broker / nats : 0),7:0.00}");

    public string ToJson(IReadOnlyDictionary<string, string> about) =>
        JsonSerializer.Serialize(new { about, table = ToTable().Split('\n', StringSplitOptions.RemoveEmptyEntries), runs = runs.Select(r => new
        {
            r.Scenario, r.Description, server = r.Server.ToString(), r.StartMilliseconds, r.FirstRequestMilliseconds, r.FollowingRequestMilliseconds, r.Error,
            readings = r.Readings.Select(x => new { x.Moment, residentMb = x.ResidentBytes / 1e6, peakMb = x.PeakResidentBytes / 1e6 }),
        }) }, new JsonSerializerOptions { WriteIndented = true });
}
