using Broker.Bench.Drivers;
using Broker.Bench.Scenarios;

namespace Broker.Bench.Comparison;

/// <summary>
/// Runs every scenario against both servers alternately (Broker, nats-server, Broker, ...), each
/// run on a freshly started server (or cluster, for a cross-node scenario), so drift in the machine's load hits both sides alike.
/// </summary>
internal sealed class ComparisonRunner(ServerPaths paths, ComparisonSettings settings, TextWriter progress)
{
    public List<RunRecord> Run()
    {
        var records = new List<RunRecord>();
        foreach (var scenario in settings.Scenarios)
        {
            if (settings.Driver == "nats.net" && !scenario.SupportsClientLibrary) continue;
            foreach (var payload in settings.Payloads)
            {
                for (var pair = 1; pair <= settings.Pairs; pair++)
                {
                    foreach (var server in new[] { ServerKind.Broker, ServerKind.NatsServer })
                    {
                        var record = RunOnce(scenario, payload, server, pair);
                        records.Add(record);
                        progress.WriteLine(Describe(record));
                    }
                }
            }
        }
        return records;
    }

    private RunRecord RunOnce(Scenario scenario, int payload, ServerKind kind, int pair)
    {
        try
        {
            using var servers = ServerCluster.Start(kind, paths, scenario.ClusterSize, scenario.Regions, scenario.LeafLink);
            var nodes = servers.Nodes.Select(n => new ServerNode(n.Endpoint, n.Pid, Driver(n.Endpoint))).ToArray();
            var count = Math.Max(1, (int)(scenario.DefaultCount(payload) * settings.CountScale));
            var context = ScenarioContext.ForNodes(nodes, payload, count, settings.Timeout, settings.Warmup);
            var result = scenario.RunAsync(context).GetAwaiter().GetResult();
            return new RunRecord(scenario.Name, payload, kind, pair, result, null);
        }
        catch (Exception e)
        {
            return new RunRecord(scenario.Name, payload, kind, pair, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private ILoadDriver Driver(System.Net.IPEndPoint server) =>
        settings.Driver == "nats.net" ? new NatsClientDriver(server) : new RawDriver(server);

    private static string Describe(RunRecord r) => r.Result is { } result
        ? $"  {r.Scenario,-18} {r.PayloadSize,5} B  {r.Server,-10} #{r.Pair}  {result.Primary.Name} {result.Primary.Value:N1} {result.Primary.Unit}  (server cpu {result.ServerCpuSeconds:0.00}s, peak rss {result.ServerPeakResidentBytes / 1e6:0.0} MB)"
        : $"  {r.Scenario,-18} {r.PayloadSize,5} B  {r.Server,-10} #{r.Pair}  FAILED {r.Error}";
}

internal sealed record ComparisonSettings(
    IReadOnlyList<Scenario> Scenarios, IReadOnlyList<int> Payloads, int Pairs, string Driver, double CountScale, TimeSpan Timeout, TimeSpan Warmup);
