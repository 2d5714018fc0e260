using System.Net;
using Broker.Bench;
using Broker.Bench.Comparison;
using Broker.Bench.Drivers;
using Broker.Bench.Scenarios;

const string Usage = """
    Broker.Bench compare [--pairs 3] [--scenarios a,b] [--payloads 16,1024] [--driver raw|nats.net]
                         [--scale 1.0] [--timeout-seconds 120] [--warmup-seconds 2] [--json FILE]
                         --broker PATH/Broker.Host.dll [--nats /usr/sbin/nats-server]
        Starts each server fresh per run, alternating Broker and nats-server, and prints medians and ratios.
    Broker.Bench run --server 127.0.0.1:4222[,HOST:PORT...] --scenario NAME [--payload 16] [--count N] [--pid PID[,PID...]]
                     [--driver raw|nats.net] [--warmup-seconds 2]
        One run against a server (or the nodes of a cluster, publishers on the first) that is already
        running (PIDs: to read their CPU and memory).
    Broker.Bench allocations [--messages 200000] [--max-bytes 0]
        Bytes allocated per message on the publish path of each source, in process; exits 1 when a
        path allocates more than --max-bytes per message (a regression).
    Broker.Bench inprocess [--count 2000000] [--payload 16] [--requests 20000] [--rounds 5] [--only source]
        A broker in this process: in-process publishers and subscribers (Source, actor responder)
        against the same pairs through NATS.Net over loopback; each row's median of --rounds. --only source: the in-process
        publisher -> Source row alone, five times (for a profiler).
    """;

try
{
    if (args.Length == 0 || args[0] is "-h" or "--help")
    {
        Console.WriteLine(Usage);
        Console.WriteLine(Broker.Bench.Memory.MemoryCommand.Usage);
        Console.WriteLine(Broker.Bench.Memory.FootprintBreakdown.Usage);
        Console.WriteLine("Scenarios (the default set):\n  " + string.Join(", ", ScenarioCatalog.All.Select(s => s.Name)));
        Console.WriteLine("Cross-node scenarios (a cluster per run; name them in --scenarios, or use compare-cluster.sh):\n  " + string.Join(", ", ScenarioCatalog.CrossNode.Select(s => s.Name)));
        Console.WriteLine("Leaf-link scenarios (a hub and its leaf per run; name them in --scenarios, or use compare-leaf.sh):\n  " + string.Join(", ", ScenarioCatalog.AcrossLeafLink.Select(s => s.Name)));
        Console.WriteLine("Cross-region scenarios (regions A and B joined by gateways per run; name them in --scenarios, or use compare-region.sh):\n  " + string.Join(", ", ScenarioCatalog.CrossRegion.Select(s => s.Name)));
        return args.Length == 0 ? 2 : 0;
    }
    var options = new BenchArguments(args.Skip(1));
    return args[0] switch
    {
        "compare" => Compare(options),
        "run" => await RunOne(options),
        "allocations" => Allocations(options),
        "memory" => Broker.Bench.Memory.MemoryCommand.Run(options, LoadAverage),
        "footprint" => await Broker.Bench.Memory.FootprintBreakdown.RunAsync(options, Console.Out),
        "inprocess" => await Broker.Bench.InProcess.InProcessBench.RunAsync(options.Int("count", 2_000_000), options.Int("payload", 16), options.Int("requests", 20_000), options.Int("rounds", 5), options.Get("only"), Console.Out),
        _ => throw new ArgumentException($"unknown command '{args[0]}'"),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"Broker.Bench: {e.Message}");
    return 2;
}

static int Compare(BenchArguments options)
{
    var scenarios = options.List("scenarios", ScenarioCatalog.All.Select(s => s.Name).ToList()).Select(ScenarioCatalog.Find).ToList();
    var payloads = options.List("payloads", ["16", "1024"]).Select(p => int.TryParse(p, out var n) && n >= 0 ? n : throw new ArgumentException($"bad payload size '{p}'")).ToList();
    var settings = new ComparisonSettings(scenarios, payloads, options.Int("pairs", 3), Driver(options), options.Double("scale", 1.0),
        TimeSpan.FromSeconds(options.Int("timeout-seconds", 120)), TimeSpan.FromSeconds(options.Double("warmup-seconds", 2)));
    var paths = new ServerPaths(
        options.Get("broker") ?? throw new ArgumentException("--broker PATH/Broker.Host.dll is required"),
        options.String("nats", "/usr/sbin/nats-server"));
    var jsonFile = options.Get("json");
    options.EnsureAllUsed();
    if (!File.Exists(paths.BrokerHostDll)) throw new ArgumentException($"no such file: {paths.BrokerHostDll}");
    if (!File.Exists(paths.NatsServer)) throw new ArgumentException($"no such file: {paths.NatsServer}");

    var started = DateTime.UtcNow;
    var loadBefore = LoadAverage();
    var records = new ComparisonRunner(paths, settings, Console.Out).Run();
    var report = new ComparisonReport(records);
    Console.WriteLine();
    Console.Write(report.ToTable());
    if (jsonFile is not null)
    {
        var about = new Dictionary<string, string>
        {
            ["date"] = started.ToString("yyyy-MM-dd HH:mm 'UTC'"),
            ["command"] = "Broker.Bench " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
            ["runtime"] = Environment.Version.ToString(),
            ["driver"] = settings.Driver,
            ["pairs"] = settings.Pairs.ToString(),
            // Other work on the machine shares its cores with both servers alike; this says how much there was.
            ["load average at start"] = loadBefore,
            ["load average at end"] = LoadAverage(),
        };
        File.WriteAllText(jsonFile, report.ToJson(about));
        Console.WriteLine($"JSON written to {jsonFile}");
    }
    return records.Any(r => r.Error is not null) ? 1 : 0;
}

static async Task<int> RunOne(BenchArguments options)
{
    var servers = options.List("server", ["127.0.0.1:4222"]).Select(IPEndPoint.Parse).ToArray();
    var scenario = ScenarioCatalog.Find(options.Get("scenario") ?? throw new ArgumentException("--scenario is required"));
    var payload = options.Int("payload", 16);
    var count = options.Int("count", scenario.DefaultCount(payload));
    var pids = options.List("pid", []).Select(int.Parse).ToArray();
    var driverName = Driver(options);
    var warmup = TimeSpan.FromSeconds(options.Double("warmup-seconds", 2));
    options.EnsureAllUsed();
    if (pids.Length > 0 && pids.Length != servers.Length) throw new ArgumentException("--pid needs one PID per --server endpoint");
    var nodes = servers.Select((server, i) => new ServerNode(server, pids.Length > 0 ? pids[i] : null,
        driverName == "nats.net" ? new NatsClientDriver(server) : new RawDriver(server))).ToArray();
    var result = await scenario.RunAsync(ScenarioContext.ForNodes(nodes, payload, count, TimeSpan.FromMinutes(2), warmup));
    foreach (var metric in result.Metrics) Console.WriteLine($"{metric.Name,-22} {metric.Value,14:N1} {metric.Unit}");
    Console.WriteLine($"server cpu {result.ServerCpuSeconds:0.00}s, peak rss {result.ServerPeakResidentBytes / 1e6:0.0} MB, client cpu {result.ClientCpuSeconds:0.00}s");
    return 0;
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static int Allocations(BenchArguments options)
{
    var messages = options.Int("messages", 200_000);
    var maxBytes = options.Get("max-bytes") is { } m ? double.Parse(m, System.Globalization.CultureInfo.InvariantCulture) : 0;
    options.EnsureAllUsed();
    var rows = Broker.Bench.Allocations.PublishAllocations.Measure(messages);
    Console.WriteLine($"{"path",-52} {"messages",10} {"bytes/msg",10}");
    foreach (var row in rows) Console.WriteLine($"{row.Path,-52} {row.Messages,10} {row.BytesPerMessage,10:0.00}{(row.BytesPerMessage > maxBytes + row.Allowance ? "  REGRESSION" : "")}");
    return rows.Any(r => r.BytesPerMessage > maxBytes + r.Allowance) ? 1 : 0;
}

static string Driver(BenchArguments options) => options.String("driver", "raw") switch
{
    "raw" => "raw",
    "nats.net" => "nats.net",
    var other => throw new ArgumentException($"--driver must be raw or nats.net, got '{other}'"),
};
