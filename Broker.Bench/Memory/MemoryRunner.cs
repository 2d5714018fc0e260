using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Broker.Bench.Comparison;

namespace Broker.Bench.Memory;

/// <summary>
/// Runs each memory scenario against a fresh Broker.Host process and a fresh nats-server process,
/// one after the other, <c>runs</c> times each; a run's start time (process start to "Server is
/// ready", which both print once the client port listens) comes with it.
/// </summary>
internal sealed class MemoryRunner(ServerPaths paths, TextWriter log)
{
    public List<MemoryRun> Run(IReadOnlyList<Func<MemoryScenario>> scenarios, int runs)
    {
        var results = new List<MemoryRun>();
        foreach (var create in scenarios)
        {
            for (var run = 0; run < runs; run++)
            {
                foreach (var kind in new[] { ServerKind.Broker, ServerKind.NatsServer })
                {
                    var scenario = create();
                    log.Write($"{scenario.Name,-16} {kind,-10} run {run + 1}: ");
                    var result = RunOne(scenario, kind);
                    results.Add(result);
                    log.WriteLine(result.Error ?? string.Join(", ", result.Readings.Select(r => $"{r.Moment} {Mb(r.ResidentBytes)}/{Mb(r.PeakResidentBytes)} MB")) + $", start {result.StartMilliseconds:0} ms");
                }
            }
        }
        return results;
    }

    private MemoryRun RunOne(MemoryScenario scenario, ServerKind kind)
    {
        if (scenario is IMultiNodeScenario multi) return RunNodes(scenario, multi, kind);
        var port = FreePort();
        var config = Path.Combine(Path.GetTempPath(), $"broker-memory-{Environment.ProcessId}-{port}.conf");
        File.WriteAllText(config, $"host: 127.0.0.1\nport: {port}\n{scenario.ConfigLines}");
        try
        {
            var clock = Stopwatch.StartNew();
            using var server = ServerUnderTest.StartWithConfig(kind, paths, config, port);
            var started = clock.Elapsed.TotalMilliseconds;
            var probe = new MemoryProbe(server.Endpoint, server.Pid);
            try
            {
                scenario.RunAsync(probe).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is IOException or SocketException or TimeoutException or InvalidOperationException)
            {
                return new MemoryRun(scenario.Name, scenario.Description, kind, started, probe.Readings.ToList(), null, null, $"failed: {e.Message}");
            }
            var first = scenario as FirstRequestMemory;
            return new MemoryRun(scenario.Name, scenario.Description, kind, started, probe.Readings.ToList(),
                first?.First.TotalMilliseconds, first?.MedianFollowing.TotalMilliseconds, null);
        }
        finally
        {
            File.Delete(config);
        }
    }

    /// <summary>A cluster or supercluster of fresh processes from the same files for either server; "start" is until every node is ready and the cluster formed.</summary>
    private MemoryRun RunNodes(MemoryScenario scenario, IMultiNodeScenario multi, ServerKind kind)
    {
        var clock = Stopwatch.StartNew();
        ServerCluster cluster;
        try
        {
            cluster = ServerCluster.Start(kind, paths, multi.Size, multi.Regions);
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or InvalidOperationException)
        {
            return new MemoryRun(scenario.Name, scenario.Description, kind, 0, [], null, null, $"failed to start: {e.Message}");
        }
        using (cluster)
        {
            var started = clock.Elapsed.TotalMilliseconds;
            var readings = new List<MemoryReading>();
            var probes = cluster.Nodes.Select(n => new MemoryProbe(n.Endpoint, n.Pid, readings)).ToArray();
            try
            {
                multi.RunAsync(probes).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is IOException or SocketException or TimeoutException or InvalidOperationException)
            {
                return new MemoryRun(scenario.Name, scenario.Description, kind, started, readings, null, null, $"failed: {e.Message}");
            }
            return new MemoryRun(scenario.Name, scenario.Description, kind, started, readings, null, null, null);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Mb(long bytes) => (bytes / 1e6).ToString("0.0");
}

/// <summary>One scenario run against one server: its readings, start time, and for the first-request scenario its latencies.</summary>
internal sealed record MemoryRun(
    string Scenario, string Description, ServerKind Server, double StartMilliseconds, List<MemoryReading> Readings,
    double? FirstRequestMilliseconds, double? FollowingRequestMilliseconds, string? Error);
