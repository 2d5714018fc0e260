using System.Diagnostics;
using Broker.Bench.Measurement;

namespace Broker.Bench.Scenarios;

/// <summary>
/// Sequential request/reply round trips through the server, or across a leaf link (requester on
/// node 0, responder on node 1): latency percentiles in microseconds.
/// </summary>
internal sealed class RequestLatencyScenario(LeafLink? leafLink = null) : Scenario
{
    public override string Name => leafLink is null ? "req-latency" : "leaf-req-latency";

    public override int ClusterSize => leafLink is null ? 1 : 2;

    public override LeafLink? LeafLink => leafLink;

    public override int DefaultCount(int payloadSize) => 20_000;

    public override async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        using var parties = await RequestParties.StartAsync(context, "svc.bench");
        var requester = parties.Requester;
        var warmup = Stopwatch.StartNew();
        do
        {
            for (var i = 0; i < Math.Max(1, context.Count / 10); i++) await requester.RequestAsync();
        }
        while (warmup.Elapsed < context.Warmup);

        var before = context.SampleServer();
        var clientBefore = ProcessSample.OwnCpuSeconds();
        var samples = new double[context.Count];
        for (var i = 0; i < samples.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await requester.RequestAsync();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if ((i & 1023) == 0) context.EnsureBeforeDeadline("replies");
        }
        var after = context.SampleServer();
        Array.Sort(samples);
        Metric Latency(double p) => new($"p{p} latency", Percentiles.Of(samples, p), "us", HigherIsBetter: false);
        return Result(context, this, [Latency(50), Latency(90), Latency(99), Latency(99.9)], before, after, clientBefore);
    }
}
