using System.Net;
using Broker.Bench.Comparison;
using Broker.Bench.Drivers;
using Broker.Bench.Scenarios;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Bench;

/// <summary>
/// Every benchmark scenario, run with tiny counts against an in-process broker, so the benchmark
/// program cannot rot unnoticed. These assert that each scenario completes and reports figures;
/// they time nothing.
/// </summary>
public class BenchSmokeTests
{
    public static TheoryData<string, string, int> Runs()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var scenario in ScenarioCatalog.All)
        {
            foreach (var payload in new[] { 16, 1024 })
            {
                data.Add(scenario.Name, "raw", payload);
                if (scenario.SupportsClientLibrary) data.Add(scenario.Name, "nats.net", payload);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task Scenario_completes_with_tiny_counts(string name, string driverName, int payload)
    {
        await using var broker = await TestBroker.StartAsync();
        var endpoint = new IPEndPoint(IPAddress.Loopback, broker.Port);
        ILoadDriver driver = driverName == "raw" ? new RawDriver(endpoint) : new NatsClientDriver(endpoint);
        var scenario = ScenarioCatalog.Find(name);
        var context = new ScenarioContext(endpoint, ServerPid: null, driver, payload, Count: 300, TimeSpan.FromSeconds(60), Warmup: TimeSpan.Zero);

        var result = await scenario.RunAsync(context);

        Assert.Equal(name, result.Scenario);
        Assert.Equal(payload, result.PayloadSize);
        Assert.NotEmpty(result.Metrics);
        Assert.All(result.Metrics, m => Assert.True(m.Value >= 0 && double.IsFinite(m.Value), $"{m.Name} = {m.Value}"));
        Assert.True(result.Primary.Value > 0, $"{result.Primary.Name} should be positive");
    }

    [Fact]
    public void Report_ratio_reads_above_one_when_broker_is_better_either_way()
    {
        ScenarioResult Result(double rate, double latency) => new("s", 16,
            [new Metric("rate", rate, "msgs/s", HigherIsBetter: true), new Metric("latency", latency, "us", HigherIsBetter: false)], 1, 1, 1);
        var records = new List<RunRecord>
        {
            new("s", 16, ServerKind.Broker, 1, Result(200, 10), null),
            new("s", 16, ServerKind.NatsServer, 1, Result(100, 20), null),
            new("s", 16, ServerKind.Broker, 2, Result(300, 30), null),
            new("s", 16, ServerKind.NatsServer, 2, Result(100, 20), null),
            new("s", 16, ServerKind.Broker, 3, Result(100, 50), null),
            new("s", 16, ServerKind.NatsServer, 3, null, "boom"),
        };
        var report = new ComparisonReport(records);

        var rate = report.Rows.Single(r => r.Metric == "rate");
        Assert.Equal(200, rate.Broker);
        Assert.Equal(100, rate.NatsServer);
        Assert.Equal(2.0, rate.Ratio, 3);
        var latency = report.Rows.Single(r => r.Metric == "latency");
        Assert.Equal(30, latency.Broker);
        Assert.Equal(20, latency.NatsServer);
        Assert.Equal(20.0 / 30, latency.Ratio, 3);
        Assert.Contains("FAILED s 16 B on NatsServer (pair 3): boom", report.ToTable());
    }
}
