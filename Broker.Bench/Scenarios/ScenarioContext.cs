using System.Net;
using Broker.Bench.Drivers;
using Broker.Bench.Measurement;

namespace Broker.Bench.Scenarios;

/// <summary>
/// Everything a scenario run needs: the server, how to reach it, and the bounds of the run.
/// <see cref="Warmup"/> is the least time the same load runs unmeasured first, on both servers alike:
/// a long-running server is measured in its steady state, not while the JIT is still tiering up.
/// Against a cluster, <see cref="Nodes"/> lists every node (the first is <see cref="Server"/>), and
/// the server figures are summed over them.
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

    /// <summary>The servers of the run: just <see cref="Server"/> unless given by <see cref="ForNodes"/>.</summary>
    public IReadOnlyList<ServerNode> Nodes { get; private init; } = [new ServerNode(Server, ServerPid, Driver)];

    /// <summary>A run against one server or the nodes of a cluster: node 0 is where publishers connect.</summary>
    public static ScenarioContext ForNodes(IReadOnlyList<ServerNode> nodes, int payloadSize, int count, TimeSpan timeout, TimeSpan warmup) =>
        new(nodes[0].Endpoint, nodes[0].Pid, nodes[0].Driver, payloadSize, count, timeout, warmup) { Nodes = nodes };

    /// <summary>CPU and memory of the server, or summed over every node of a cluster.</summary>
    public ProcessSample SampleServer() => ProcessSample.Sum(Nodes.Select(n => ProcessSample.Read(n.Pid)));

    /// <summary>Throws when the run's time bound has passed, naming what was still awaited.</summary>
    public void EnsureBeforeDeadline(string waitingFor)
    {
        if (DateTime.UtcNow > Deadline) throw new TimeoutException($"run exceeded {Timeout.TotalSeconds:0}s waiting for {waitingFor}");
    }
}
