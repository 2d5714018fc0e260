using System.Net;
using System.Net.Sockets;

namespace Broker.Bench.Comparison;

/// <summary>
/// The configuration files of one cluster run, one per node, on free loopback ports. Every node
/// gets the same <c>cluster</c> block (name and the full route list) and differs only in its client
/// <c>port</c> and its cluster <c>listen</c>; Broker and nats-server are started with the very same
/// files, so the two clusters differ only in the binary.
/// </summary>
internal sealed class ClusterConfigFiles : IServerConfigFiles
{
    private readonly string _directory;

    private ClusterConfigFiles(string directory, IReadOnlyList<int> clientPorts, IReadOnlyList<int> routePorts)
    {
        _directory = directory;
        ClientPorts = clientPorts;
        RoutePorts = routePorts;
        Paths = Enumerable.Range(0, clientPorts.Count).Select(i => Path.Combine(directory, $"node-{i}.conf")).ToArray();
        for (var i = 0; i < Paths.Count; i++) File.WriteAllText(Paths[i], Text(i));
    }

    public IReadOnlyList<int> ClientPorts { get; }
    public IReadOnlyList<int> RoutePorts { get; }
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Writes the files of a cluster of <paramref name="size"/> nodes into a fresh temporary directory.</summary>
    public static ClusterConfigFiles Write(int size)
    {
        var ports = FreePorts(2 * size);
        var directory = Directory.CreateTempSubdirectory("broker-bench-cluster-").FullName;
        return new ClusterConfigFiles(directory, ports[..size], ports[size..]);
    }

    /// <summary>Node <paramref name="node"/>'s file.</summary>
    public string Text(int node)
    {
        var routes = string.Join(", ", RoutePorts.Select(p => $"\"nats-route://127.0.0.1:{p}\""));
        return $$"""
            # Broker.Bench cross-node run, node {{node}}: the same file for Broker and nats-server.
            host: 127.0.0.1
            port: {{ClientPorts[node]}}
            cluster {
              name: bench
              listen: "127.0.0.1:{{RoutePorts[node]}}"
              routes: [ {{routes}} ]
            }

            """;
    }

    /// <summary>Distinct free ports: all listeners are held open until every port is chosen.</summary>
    internal static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners) listener.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
