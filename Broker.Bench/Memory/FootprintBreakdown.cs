using System.Diagnostics;
using System.Runtime;
using Akka.Actor;
using Akka.Configuration;
using Broker.Bench.Drivers;
using Broker.Configuration;
using Broker.Server;

namespace Broker.Bench.Memory;

/// <summary>
/// <c>Broker.Bench footprint</c>: where a broker's memory and start time go, stage by stage, in a
/// fresh process of its own (run it as a command, not after other work): the runtime alone, the
/// actor system, the started broker, the first request/reply, then idle connections. Each stage
/// shows resident memory split into anonymous (heaps, JIT code, stacks) and file-backed (mapped
/// assemblies and native libraries, shared with other .NET processes), the managed heap, GC counts
/// and pause time, methods JIT-compiled and the time it took.
/// </summary>
internal static class FootprintBreakdown
{
    public const string Usage = """
        Broker.Bench footprint [--connections 2000]
            Where memory and start time go, stage by stage, with a broker in this (fresh) process.
        """;

    public static async Task<int> RunAsync(BenchArguments options, TextWriter output)
    {
        var connections = options.Int("connections", 2_000);
        options.EnsureAllUsed();
        var clock = Stopwatch.StartNew();
        var stages = new List<Stage> { Stage.Read("runtime and bench started", clock) };

        using var system = ActorSystem.Create("footprint", ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """));
        stages.Add(Stage.Read("actor system created", clock));

        var server = await BrokerServer.StartAsync(system, new BrokerOptions { Host = "127.0.0.1", Port = 0 });
        stages.Add(Stage.Read("broker started", clock));

        var driver = new RawDriver(server.ClientEndpoint);
        using (var responder = await driver.StartResponderAsync("svc.first"))
        using (var requester = await driver.CreateRequesterAsync("svc.first", 16))
        {
            await requester.RequestAsync();
            stages.Add(Stage.Read("first request/reply", clock));
            for (var i = 0; i < 10_000; i++) await requester.RequestAsync();
            stages.Add(Stage.Read("10,000 more", clock));
        }

        var opened = new List<RawConnection>(connections);
        for (var i = 0; i < connections; i++) opened.Add(RawConnection.Open(server.ClientEndpoint, $"SUB conn.{i} 1\r\n"));
        GC.Collect();
        stages.Add(Stage.Read($"{connections:N0} connections x 1 sub (after a GC)", clock));
        foreach (var connection in opened) connection.Dispose();
        await server.ShutdownAsync();

        output.WriteLine($"GC: server={GCSettings.IsServerGC}, latency mode={GCSettings.LatencyMode}, conserve memory={AppContext.GetData("GCConserveMemory") ?? "default"}");
        output.WriteLine($"{"stage",-42} {"ms",7} {"RSS",7} {"anon",7} {"file",7} {"heap",7} {"commit",7} {"gc0/1/2",10} {"pause ms",9} {"jitted",7} {"jit ms",7} {"asm",4} {"thr",4}");
        foreach (var s in stages)
            output.WriteLine($"{s.Name,-42} {s.Milliseconds,7:0} {Mb(s.Rss),7} {Mb(s.RssAnon),7} {Mb(s.RssFile),7} {Mb(s.Heap),7} {Mb(s.Committed),7} {$"{s.Gen0}/{s.Gen1}/{s.Gen2}",10} {s.PauseMilliseconds,9:0.0} {s.Jitted,7} {s.JitMilliseconds,7:0} {s.Assemblies,4} {s.Threads,4}");
        var perConnection = (stages[^1].Heap - stages[^2].Heap) / (double)connections;
        var perConnectionRss = (stages[^1].Rss - stages[^2].Rss) / (double)connections;
        output.WriteLine($"per connection: managed heap {perConnection / 1024:0.0} KB, resident {perConnectionRss / 1024:0.0} KB");
        return 0;
    }

    private static string Mb(long bytes) => (bytes / 1e6).ToString("0.0");

    private sealed record Stage(string Name, double Milliseconds, long Rss, long RssAnon, long RssFile, long Heap, long Committed,
        int Gen0, int Gen1, int Gen2, double PauseMilliseconds, long Jitted, double JitMilliseconds, int Assemblies, int Threads)
    {
        public static Stage Read(string name, Stopwatch clock)
        {
            long rss = 0, anon = 0, file = 0;
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line);
                else if (line.StartsWith("RssAnon:", StringComparison.Ordinal)) anon = Kilobytes(line);
                else if (line.StartsWith("RssFile:", StringComparison.Ordinal)) file = Kilobytes(line);
            }
            var info = GC.GetGCMemoryInfo();
            // The GC's own figures exist only after a first collection; GetTotalMemory is live.
            return new Stage(name, clock.Elapsed.TotalMilliseconds, rss, anon, file, GC.GetTotalMemory(false), info.TotalCommittedBytes,
                GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalMilliseconds,
                System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,
                AppDomain.CurrentDomain.GetAssemblies().Length, Process.GetCurrentProcess().Threads.Count);
        }

        private static long Kilobytes(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
