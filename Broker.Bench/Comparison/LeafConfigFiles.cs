using Broker.Bench.Scenarios;

namespace Broker.Bench.Comparison;

/// <summary>
/// The configuration files of one leaf-link run: a hub whose <c>leafnodes</c> listener takes one
/// user and password (never an open leaf port), and a leaf whose one remote logs in with them,
/// each on free loopback ports. Broker and nats-server are started with the very same files, so
/// the two links differ only in the binary. <see cref="LeafLink"/> says which server is node 0
/// (where publishers and requesters connect): the leaf for <see cref="LeafLink.LeafToHub"/>, the hub for
/// <see cref="LeafLink.HubToLeaf"/>; node 1 is the other one.
/// </summary>
internal sealed class LeafConfigFiles : IServerConfigFiles
{
    /// <summary>The leafnode listener's one user; only the benchmark's own leaf knows it.</summary>
    private const string LeafUser = "bench-leaf";

    private readonly string _directory;
    private readonly string _password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    private LeafConfigFiles(string directory, LeafLink link, int[] ports)
    {
        _directory = directory;
        HubClientPort = ports[0];
        LeafClientPort = ports[1];
        LeafNodePort = ports[2];
        var hub = Path.Combine(directory, "hub.conf");
        var leaf = Path.Combine(directory, "leaf.conf");
        File.WriteAllText(hub, HubText());
        File.WriteAllText(leaf, LeafText());
        (Paths, ClientPorts) = link == LeafLink.LeafToHub
            ? (new[] { leaf, hub }, new[] { LeafClientPort, HubClientPort })
            : (new[] { hub, leaf }, new[] { HubClientPort, LeafClientPort });
    }

    public int HubClientPort { get; }
    public int LeafClientPort { get; }
    public int LeafNodePort { get; }
    public IReadOnlyList<string> Paths { get; }
    public IReadOnlyList<int> ClientPorts { get; }

    /// <summary>Writes the hub's and the leaf's files into a fresh temporary directory.</summary>
    public static LeafConfigFiles Write(LeafLink link) =>
        new(Directory.CreateTempSubdirectory("broker-bench-leaf-").FullName, link, ClusterConfigFiles.FreePorts(3));

    public string HubText() => $$"""
        # Broker.Bench leaf-link run, the hub: the same file for Broker and nats-server.
        host: 127.0.0.1
        port: {{HubClientPort}}
        leafnodes {
          listen: "127.0.0.1:{{LeafNodePort}}"
          authorization { user: "{{LeafUser}}", password: "{{_password}}" }
        }

        """;

    public string LeafText() => $$"""
        # Broker.Bench leaf-link run, the leaf: the same file for Broker and nats-server.
        host: 127.0.0.1
        port: {{LeafClientPort}}
        leafnodes {
          remotes: [ { url: "nats://{{LeafUser}}:{{_password}}@127.0.0.1:{{LeafNodePort}}" } ]
        }

        """;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
