using System.Runtime.ExceptionServices;
using Broker.Bench.Drivers;
using Broker.Bench.Scenarios;

namespace Broker.Bench.Comparison;

/// <summary>
/// The servers of one run, started fresh: one server on its own, or a cluster of separate
/// processes started from <see cref="ClusterConfigFiles"/>, returned only once it is formed (a
/// probe published on node 0 has reached a subscriber on every other node). All are killed after.
/// </summary>
internal sealed class ServerCluster : IDisposable
{
    private static readonly TimeSpan FormationTimeout = TimeSpan.FromSeconds(60);

    private readonly ClusterConfigFiles? _files;

    private ServerCluster(IReadOnlyList<ServerUnderTest> nodes, ClusterConfigFiles? files)
    {
        Nodes = nodes;
        _files = files;
    }

    public IReadOnlyList<ServerUnderTest> Nodes { get; }

    public static ServerCluster Start(ServerKind kind, ServerPaths paths, int size)
    {
        if (size == 1) return new ServerCluster([ServerUnderTest.Start(kind, paths)], null);
        var files = ClusterConfigFiles.Write(size);
        var starts = Enumerable.Range(0, size)
            .Select(i => Task.Run(() => ServerUnderTest.StartWithConfig(kind, paths, files.Paths[i], files.ClientPorts[i])))
            .ToArray();
        try
        {
            Task.WaitAll(starts);
        }
        catch (AggregateException e)
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully)) start.Result.Dispose();
            files.Dispose();
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            throw;
        }
        var cluster = new ServerCluster(starts.Select(s => s.Result).ToArray(), files);
        try
        {
            var nodes = cluster.Nodes.Select(n => new RawDriver(n.Endpoint)).ToArray();
            InterestProbe.WaitAsync(nodes[0], nodes[1..], "probe.formed", DateTime.UtcNow + FormationTimeout).GetAwaiter().GetResult();
            return cluster;
        }
        catch (TimeoutException e)
        {
            // What each node last said is the first thing to read when a cluster does not form.
            var logs = cluster.Nodes.Select((n, i) => $"node {i} last lines:\n    " + string.Join("\n    ", n.LastLines.TakeLast(5)));
            cluster.Dispose();
            throw new TimeoutException(e.Message + "\n  " + string.Join("\n  ", logs), e);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var node in Nodes) node.Dispose();
        _files?.Dispose();
    }
}
