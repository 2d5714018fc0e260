using System.Diagnostics;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Cluster;

/// <summary>
/// A cluster of server processes on loopback (Broker.Host or nats-server), the same
/// <see cref="ClusterBlock"/> for each kind, so one scenario driver runs against either. Every
/// process is killed on dispose.
/// </summary>
public abstract class ProcessCluster : IAsyncDisposable
{
    private readonly Dictionary<int, RunningNode> _running = new();

    /// <param name="config">Configuration lines every node gets besides the cluster (nats-server syntax, which both read).</param>
    protected ProcessCluster(string kind, int size, string config, ClusterBlock? block = null)
    {
        Kind = kind;
        Block = block ?? ClusterBlock.Plan(size);
        Config = config;
    }

    protected string Config { get; }

    /// <summary>"broker" or "nats-server": names the cluster in failure messages.</summary>
    public string Kind { get; }

    public ClusterBlock Block { get; }

    public string Url(int node) => $"nats://127.0.0.1:{Running(node).ClientPort}";

    public int ClientPort(int node) => Running(node).ClientPort;

    public bool HasExited(int node) => Running(node).Process.HasExited;

    /// <summary>Starts the given nodes at once and waits until every running node lists every other in INFO connect_urls.</summary>
    public async Task StartAsync(ClusterLaunch launch, params int[] nodes)
    {
        // Each node is recorded as soon as it runs, so a failed sibling still leaves it to DisposeAsync.
        await Task.WhenAll(nodes.Select(async n =>
        {
            var node = await StartNodeAsync(n, launch);
            lock (_running) _running[n] = node;
        }));
        await WaitFormedAsync();
    }

    /// <summary>
    /// Launches the given nodes <paramref name="gap"/> apart, each launch not waiting for the one
    /// before to be ready (as an operator starting servers by hand), and returns when all accept
    /// clients, with each node's launch time and the time it accepted clients on <paramref name="clock"/>.
    /// </summary>
    public async Task<(TimeSpan[] Launched, TimeSpan[] Ready)> StartStaggeredAsync(TimeSpan gap, System.Diagnostics.Stopwatch clock, ClusterLaunch launch, params int[] nodes)
    {
        var launched = new TimeSpan[nodes.Length];
        var ready = new TimeSpan[nodes.Length];
        var starts = new List<Task>();
        for (var i = 0; i < nodes.Length; i++)
        {
            if (i > 0)
            {
                var due = launched[0] + gap * i - clock.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due);
            }
            launched[i] = clock.Elapsed;
            var (n, at) = (nodes[i], i);
            starts.Add(Task.Run(async () =>
            {
                var node = await StartNodeAsync(n, launch);
                ready[at] = clock.Elapsed;
                lock (_running) _running[n] = node;
            }));
        }
        await Task.WhenAll(starts);
        return (launched, ready);
    }

    /// <summary>Kill -9: no goodbye to the cluster or the clients.</summary>
    public void Kill(int node) => Running(node).Process.Kill(entireProcessTree: true);

    /// <summary>Sends a POSIX signal to the node's process (a graceful stop, lame duck mode...).</summary>
    public void Signal(int node, int signal)
    {
        if (kill(Running(node).Process.Id, signal) != 0) throw new InvalidOperationException($"kill {signal} failed");
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>The node's exit code, once it has exited (30 s at most).</summary>
    public async Task<int> WaitForExitAsync(int node)
    {
        var process = Running(node).Process;
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>The node's output so far.</summary>
    public IReadOnlyList<string> Log(int node) => Running(node).Log();

    /// <summary>Until each live node's INFO connect_urls names every live node: the routes (or Akka members) are up.</summary>
    public async Task WaitFormedAsync()
    {
        var live = _running.Where(r => !r.Value.Process.HasExited).ToList();
        var connections = await Task.WhenAll(live.Select(r => NatsClients.ConnectAsync(Url(r.Key))));
        try
        {
            await Eventually.Async(
                // A node that has not seen another yet sends no connect_urls (as nats-server).
                () => connections.All(c => (c.ServerInfo?.ClientConnectUrls?.Count() ?? 1) == live.Count),
                $"the {Kind} cluster of {live.Count} to form", TestLinkSecurity.FormationSeconds);
        }
        finally
        {
            foreach (var connection in connections) await connection.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_running.Values.Select(r => r.Owner.DisposeAsync().AsTask()));
        _running.Clear();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts one node's process and returns once it accepts clients.</summary>
    /// <remarks>On failure it disposes what it started itself.</remarks>
    protected abstract Task<RunningNode> StartNodeAsync(int node, ClusterLaunch launch);

    private RunningNode Running(int node) =>
        _running.TryGetValue(node, out var running) ? running : throw new InvalidOperationException($"{Kind} node {node} was not started");

    /// <summary>Each node's state and the cluster-related lines of its log: what a failing test needs to say.</summary>
    public string Describe()
    {
        lock (_running)
        {
            return string.Join("\n", _running.OrderBy(r => r.Key).Select(r =>
                $"{Kind} node {r.Key} (clients {r.Value.ClientPort}, route {Block.RoutePorts[r.Key]}): " +
                (r.Value.Process.HasExited ? $"exited with {r.Value.Process.ExitCode}" : "running") +
                string.Concat(r.Value.Log().Where(IsClusterLine).TakeLast(30).Select(l => "\n  " + l))));
        }
    }

    private static bool IsClusterLine(string line) =>
        line.Contains("Cluster node", StringComparison.Ordinal) || line.Contains("[WARNING]", StringComparison.Ordinal)
        || line.Contains("[ERROR]", StringComparison.Ordinal) || line.Contains("[ERR]", StringComparison.Ordinal) || line.Contains("[FTL]", StringComparison.Ordinal);

    /// <param name="Owner">Disposing it kills the process and removes its files.</param>
    /// <param name="Log">The process's output so far (empty where it is not kept).</param>
    protected sealed record RunningNode(int ClientPort, Process Process, IAsyncDisposable Owner, Func<IReadOnlyList<string>> Log);
}
