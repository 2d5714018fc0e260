namespace Broker.Bench.Comparison;

/// <summary>
/// The configuration files of one cross-region run: regions named A, B, ... joined by gateways,
/// each region of <see cref="NodesPerRegion"/> nodes on free loopback ports. Every node gets a
/// <c>gateway</c> block (its region's name, its own <c>listen</c>, and every node of each other
/// region under <c>gateways</c>); a region of more than one node also gets a <c>cluster</c> block
/// named like the gateway, as both servers require. Broker and nats-server are started with the
/// very same files, so the two superclusters differ only in the binary. Nodes are numbered region
/// by region: 0 .. n-1 are region A, n .. 2n-1 region B, and so on.
/// </summary>
internal sealed class SuperclusterConfigFiles : IServerConfigFiles
{
    private readonly string _directory;

    private SuperclusterConfigFiles(string directory, int regions, int nodesPerRegion, int[] ports)
    {
        _directory = directory;
        NodesPerRegion = nodesPerRegion;
        var nodes = regions * nodesPerRegion;
        ClientPorts = ports[..nodes];
        GatewayPorts = ports[nodes..(2 * nodes)];
        RoutePorts = ports[(2 * nodes)..];
        RegionNames = Enumerable.Range(0, regions).Select(r => ((char)('A' + r)).ToString()).ToArray();
        Paths = Enumerable.Range(0, nodes).Select(i => Path.Combine(directory, $"region-{RegionOf(i)}-node-{i}.conf")).ToArray();
        for (var i = 0; i < nodes; i++) File.WriteAllText(Paths[i], Text(i));
    }

    public int NodesPerRegion { get; }
    public IReadOnlyList<string> RegionNames { get; }
    public IReadOnlyList<int> ClientPorts { get; }
    public IReadOnlyList<int> GatewayPorts { get; }

    /// <summary>Cluster (route) ports, one per node; empty when every region is a single node.</summary>
    public IReadOnlyList<int> RoutePorts { get; }

    public IReadOnlyList<string> Paths { get; }

    /// <summary>Writes the files of <paramref name="regions"/> regions of <paramref name="nodesPerRegion"/> nodes into a fresh temporary directory.</summary>
    public static SuperclusterConfigFiles Write(int regions, int nodesPerRegion)
    {
        if (regions < 2 || regions > 26) throw new ArgumentOutOfRangeException(nameof(regions), "a supercluster has 2 to 26 regions");
        var nodes = regions * nodesPerRegion;
        var ports = ClusterConfigFiles.FreePorts(nodesPerRegion > 1 ? 3 * nodes : 2 * nodes);
        var directory = Directory.CreateTempSubdirectory("broker-bench-region-").FullName;
        return new SuperclusterConfigFiles(directory, regions, nodesPerRegion, ports);
    }

    /// <summary>The region name of node <paramref name="node"/>.</summary>
    public string RegionOf(int node) => RegionNames[node / NodesPerRegion];

    private IEnumerable<int> NodesOf(int region) => Enumerable.Range(region * NodesPerRegion, NodesPerRegion);

    /// <summary>Node <paramref name="node"/>'s file.</summary>
    public string Text(int node)
    {
        var region = node / NodesPerRegion;
        var remotes = Enumerable.Range(0, RegionNames.Count).Where(r => r != region).Select(r =>
            $"    {{ name: {RegionNames[r]}, urls: [ {string.Join(", ", NodesOf(r).Select(n => $"\"nats://127.0.0.1:{GatewayPorts[n]}\""))} ] }}");
        var cluster = NodesPerRegion == 1 ? "" : $$"""
            cluster {
              name: {{RegionNames[region]}}
              listen: "127.0.0.1:{{RoutePorts[node]}}"
              routes: [ {{string.Join(", ", NodesOf(region).Select(n => $"\"nats-route://127.0.0.1:{RoutePorts[n]}\""))}} ]
            }

            """;
        return $$"""
            # Broker.Bench cross-region run, region {{RegionNames[region]}}, node {{node}}: the same file for Broker and nats-server.
            host: 127.0.0.1
            port: {{ClientPorts[node]}}
            {{cluster}}gateway {
              name: {{RegionNames[region]}}
              listen: "127.0.0.1:{{GatewayPorts[node]}}"
              gateways: [
            {{string.Join("\n", remotes)}}
              ]
            }

            """;
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
