using Broker.Bench.Comparison;

namespace Broker.Bench.Memory;

/// <summary><c>Broker.Bench memory</c>: the footprint scenarios, Broker.Host beside nats-server, each on fresh processes.</summary>
internal static class MemoryCommand
{
    public const string Usage = """
        Broker.Bench memory [--runs 3] [--scenarios idle,first-request,connections,subscriptions,slow-consumers,garbage,
                                        cluster-node,region-node]
                            [--json FILE] --broker PATH/Broker.Host.dll [--nats /usr/sbin/nats-server]
            Resident memory (VmRSS, and VmHWM for the peak) of fresh Broker.Host and nats-server processes
            under each load, start time (process start to "Server is ready"), first request/reply latency.
            cluster-node and region-node read every node of a 2-node cluster / 2-region supercluster (n0, n1);
            the peak row is the highest node's.
        """;

    private static readonly Dictionary<string, Func<MemoryScenario>> Catalog = new()
    {
        ["idle"] = () => new IdleMemory(),
        ["first-request"] = () => new FirstRequestMemory(),
        ["connections"] = () => new ConnectionsMemory(2_000),
        ["subscriptions"] = () => new SubscriptionsMemory(100_000, 10),
        ["slow-consumers"] = () => new SlowConsumersMemory(50, 8, 24),
        ["garbage"] = () => new GarbageMemory(240),
        ["cluster-node"] = () => new CrossNodeMemory(regions: false, 200_000, 1024),
        ["region-node"] = () => new CrossNodeMemory(regions: true, 200_000, 1024),
    };

    public static int Run(BenchArguments options, Func<string> loadAverage)
    {
        var names = options.List("scenarios", Catalog.Keys.ToList());
        var scenarios = names.Select(n => Catalog.TryGetValue(n, out var s) ? s : throw new ArgumentException($"unknown memory scenario '{n}' (known: {string.Join(", ", Catalog.Keys)})")).ToList();
        var runs = options.Int("runs", 3);
        var paths = new ServerPaths(
            options.Get("broker") ?? throw new ArgumentException("--broker PATH/Broker.Host.dll is required"),
            options.String("nats", "/usr/sbin/nats-server"));
        var jsonFile = options.Get("json");
        options.EnsureAllUsed();
        if (!File.Exists(paths.BrokerHostDll)) throw new ArgumentException($"no such file: {paths.BrokerHostDll}");
        if (!File.Exists(paths.NatsServer)) throw new ArgumentException($"no such file: {paths.NatsServer}");

        var started = DateTime.UtcNow;
        var loadBefore = loadAverage();
        var results = new MemoryRunner(paths, Console.Out).Run(scenarios, runs);
        var report = new MemoryReport(results);
        Console.WriteLine();
        Console.Write(report.ToTable());
        if (jsonFile is not null)
        {
            File.WriteAllText(jsonFile, report.ToJson(new Dictionary<string, string>
            {
                ["date"] = started.ToString("yyyy-MM-dd HH:mm 'UTC'"),
                ["command"] = "Broker.Bench " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
                ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
                ["runtime"] = Environment.Version.ToString(),
                // Other engineers build on this machine; the load says how busy it was.
                ["load average at start"] = loadBefore,
                ["load average at end"] = loadAverage(),
            }));
            Console.WriteLine($"JSON written to {jsonFile}");
        }
        return results.Any(r => r.Error is not null) ? 1 : 0;
    }
}
