using System.Runtime.ExceptionServices;
using Broker.Bench.Drivers;
using Broker.Bench.Scenarios;

namespace Broker.Bench.Comparison;

/// <summary>
/// The servers of one run, started fresh: one server on its own, or a cluster of separate
/// processes started from <see cref="ClusterConfigFiles"/>, or a supercluster of regions joined by
/// gateways started from <see cref="SuperclusterConfigFiles"/>, or a hub and its leaf started from
/// <see cref="LeafConfigFiles"/>, returned only once it is formed (a probe published on node 0 has
/// reached a subscriber on every other node, across the gateways or the leaf link too; for a leaf
/// link, one from node 1 back to node 0 as well). All are killed after.
/// </summary>
internal sealed class ServerCluster : IDisposable
{
    private static readonly TimeSpan FormationTimeout = TimeSpan.FromSeconds(60);

    private readonly IServerConfigFiles? _files;

    private ServerCluster(IReadOnlyList<ServerUnderTest> nodes, IServerConfigFiles? files)
    {
        Nodes = nodes;
        _files = files;
    }

    public IReadOnlyList<ServerUnderTest> Nodes { get; }

    /// <summary>
    /// Starts <paramref name="size"/> nodes: one region (a single server or one cluster), or, with
    /// <paramref name="regions"/> above 1, that many regions of <c>size / regions</c> nodes each;
    /// with a <paramref name="leafLink"/>, a hub and its leaf.
    /// </summary>
    public static ServerCluster Start(ServerKind kind, ServerPaths paths, int size, int regions = 1, LeafLink? leafLink = null)
    {
        if (leafLink is { } link) return StartLeafLink(kind, paths, link);
        if (size == 1) return new ServerCluster([ServerUnderTest.Start(kind, paths)], null);
        if (size % regions != 0) throw new ArgumentException($"{size} nodes do not divide into {regions} regions");
        IServerConfigFiles files = regions > 1 ? SuperclusterConfigFiles.Write(regions, size / regions) : ClusterConfigFiles.Write(size);
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
        return AwaitFormed(new ServerCluster(starts.Select(s => s.Result).ToArray(), files), bothWays: false);
    }

    /// <summary>
    /// The hub first, then the leaf, so the leaf's first connect finds the hub listening (its retry
    /// back-off is not what a run measures); both from the same files for either binary.
    /// </summary>
    private static ServerCluster StartLeafLink(ServerKind kind, ServerPaths paths, LeafLink link)
    {
        var files = LeafConfigFiles.Write(link);
        var (hub, leaf) = link == LeafLink.HubToLeaf ? (0, 1) : (1, 0);
        ServerUnderTest? hubServer = null;
        ServerCluster cluster;
        try
        {
            hubServer = ServerUnderTest.StartWithConfig(kind, paths, files.Paths[hub], files.ClientPorts[hub]);
            var leafServer = ServerUnderTest.StartWithConfig(kind, paths, files.Paths[leaf], files.ClientPorts[leaf]);
            var nodes = new ServerUnderTest[2];
            nodes[hub] = hubServer;
            nodes[leaf] = leafServer;
            cluster = new ServerCluster(nodes, files);
        }
        catch
        {
            hubServer?.Dispose();
            files.Dispose();
            throw;
        }
        return AwaitFormed(cluster, bothWays: true);
    }

    private static ServerCluster AwaitFormed(ServerCluster cluster, bool bothWays)
    {
        try
        {
            var nodes = cluster.Nodes.Select(n => new RawDriver(n.Endpoint)).ToArray();
            var deadline = DateTime.UtcNow + FormationTimeout;
            InterestProbe.WaitAsync(nodes[0], nodes[1..], "probe.formed", deadline).GetAwaiter().GetResult();
            if (bothWays) InterestProbe.WaitAsync(nodes[1], [nodes[0]], "probe.formed.back", deadline).GetAwaiter().GetResult();
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
