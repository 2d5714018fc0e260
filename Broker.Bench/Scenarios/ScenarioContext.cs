using System.Net;
using Broker.Bench.Drivers;
using Broker.Bench.Measurement;

namespace Broker.Bench.Scenarios;

/// <summary>
/// Everything a scenario run needs: the server, how to reach it, and the bounds of the run.
/// <see cref="Warmup"/> is the least time the same load runs unmeasured first, on both servers alike:
/// a long-running server is measured in its steady state, not while the JIT is still tiering up.
/// </summary>
internal sealed record ScenarioContext(
    IPEndPoint Server,
    int? ServerPid,
    ILoadDriver Driver,
    int PayloadSize,
    int Count,
    TimeSpan Timeout,
    TimeSpan Warmup)
{
    public DateTime Deadline { get; } = DateTime.UtcNow + Timeout;

    public ProcessSample SampleServer() => ProcessSample.Read(ServerPid);

    /// <summary>Throws when the run's time bound has passed, naming what was still awaited.</summary>
    public void EnsureBeforeDeadline(string waitingFor)
    {
        if (DateTime.UtcNow > Deadline) throw new TimeoutException($"run exceeded {Timeout.TotalSeconds:0}s waiting for {waitingFor}");
    }
}
