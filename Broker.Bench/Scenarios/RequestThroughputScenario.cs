using System.Diagnostics;
using Broker.Bench.Measurement;

namespace Broker.Bench.Scenarios;

/// <summary>
/// Request/reply with a fixed number of requests outstanding, through the server or across a leaf
/// link (requester on node 0, responder on node 1): completed requests per second.
/// </summary>
internal sealed class RequestThroughputScenario(int inFlight, LeafLink? leafLink = null) : Scenario
{
    public override string Name => (leafLink is null ? "" : "leaf-") + $"req-{inFlight}-in-flight";

    public override int ClusterSize => leafLink is null ? 1 : 2;

    public override LeafLink? LeafLink => leafLink;

    public override int DefaultCount(int payloadSize) => payloadSize <= 64 ? 1_000_000 : 600_000;

    public override async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        using var parties = await RequestParties.StartAsync(context, "svc.bench");
        var requester = parties.Requester;
        var warmup = Stopwatch.StartNew();
        do await Bounded(requester.RunInFlightAsync(Math.Max(inFlight, context.Count / 10), inFlight), context);
        while (warmup.Elapsed < context.Warmup);

        var before = context.SampleServer();
        var clientBefore = ProcessSample.OwnCpuSeconds();
        var latencies = new double[context.Count];
        var clock = Stopwatch.StartNew();
        await Bounded(requester.RunInFlightAsync(context.Count, inFlight, latencies), context);
        var seconds = clock.Elapsed.TotalSeconds;
        var after = context.SampleServer();
        Array.Sort(latencies);
        // Each request's round trip from its send to its reply, queueing behind the others in flight included.
        Metric Latency(double p) => new($"p{p} latency", Percentiles.Of(latencies, p), "us", HigherIsBetter: false);
        return Result(context, this, [new Metric("requests/s", context.Count / seconds, "req/s", HigherIsBetter: true), Latency(50), Latency(99), Latency(99.9)],
            before, after, clientBefore);
    }

    private static async Task Bounded(ValueTask run, ScenarioContext context)
    {
        var task = run.AsTask();
        var left = context.Deadline - DateTime.UtcNow;
        if (await Task.WhenAny(task, Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero)) != task)
            throw new TimeoutException($"requests not all answered within {context.Timeout.TotalSeconds:0}s");
        await task;
    }
}
