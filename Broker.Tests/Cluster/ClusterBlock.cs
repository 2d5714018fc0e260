using System.Net;
using System.Net.Sockets;

namespace Broker.Tests.Cluster;

/// <summary>How a node of a process cluster is told about the cluster.</summary>
public enum ClusterLaunch
{
    /// <summary>A <c>cluster { name, listen, routes }</c> block in the configuration file.</summary>
    ConfigFile,

    /// <summary>The flags <c>--cluster</c>, <c>--routes</c> and <c>--cluster_name</c>.</summary>
    Flags,
}

/// <summary>
/// The nats-server cluster settings of a loopback cluster of <see cref="Size"/> nodes: one free
/// route port per node (ascending, so node 0 is the first Akka seed), and the same routes list for
/// everyone, written as a config block or as flags that both Broker.Host and nats-server accept.
/// </summary>
public sealed class ClusterBlock
{
    private ClusterBlock(string name, IReadOnlyList<int> routePorts, (string User, string Password)? authorization)
    {
        Name = name;
        RoutePorts = routePorts;
        Authorization = authorization;
    }

    /// <summary>The cluster's <c>authorization</c> user and password, also given in every route URL; null: open links.</summary>
    public (string User, string Password)? Authorization { get; }

    public string Name { get; }

    public IReadOnlyList<int> RoutePorts { get; }

    public int Size => RoutePorts.Count;

    /// <summary>What the <c>authorization</c> block holds instead of the password (its bcrypt hash, say); null: the password.</summary>
    public string? StoredPassword { get; private init; }

    /// <summary>More lines for the cluster block (a <c>tls</c> block, say).</summary>
    public string Extra { get; private init; } = "";

    /// <param name="authorization">Null: the <see cref="TestLinkSecurity"/> switch decides.</param>
    /// <param name="plainLinks">Keep the links plain whatever the TLS switch says (tests of what a raw socket gets).</param>
    /// <param name="storedPassword">What the <c>authorization</c> block holds in place of the password (the route URLs keep it in clear).</param>
    public static ClusterBlock Plan(int size, string name = "proc", (string User, string Password)? authorization = null, string extra = "", bool plainLinks = false, string? storedPassword = null)
    {
        authorization ??= TestLinkSecurity.On ? (TestLinkSecurity.User, TestLinkSecurity.Password) : null;
        // Held open together so no two nodes draw the same port.
        var listeners = Enumerable.Range(0, size).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var listener in listeners) listener.Start();
            // The TLS switch adds the run's link certificate unless the test brings its own.
            if (TestLinkSecurity.TlsBlock is { } tls && !plainLinks && !extra.Contains("tls")) extra += $"tls {{ {tls} }}";
            return new ClusterBlock(name, listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).Order().ToArray(), authorization) { Extra = extra, StoredPassword = storedPassword };
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }

    /// <summary>
    /// A free port above <paramref name="port"/>, for a node that must sort after an existing seed.
    /// Tried upward rather than drawn: the kernel's ephemeral draws need not be spread (a CI run drew
    /// 20 ports in a row all below the seed's).
    /// </summary>
    public static int FreePortAbove(int port)
    {
        for (var candidate = port + 1; candidate <= IPEndPoint.MaxPort; candidate++)
        {
            var listener = new TcpListener(IPAddress.Loopback, candidate);
            try
            {
                listener.Start();
                return candidate;
            }
            catch (SocketException)
            {
            }
            finally
            {
                listener.Stop();
            }
        }
        throw new InvalidOperationException($"no free loopback port above {port}");
    }

    public string RouteUrl(int node) =>
        Authorization is var (user, password) ? $"nats-route://{user}:{password}@127.0.0.1:{RoutePorts[node]}" : $"nats-route://127.0.0.1:{RoutePorts[node]}";

    private string AuthorizationText => Authorization is var (user, password) ? $"  authorization {{ user: \"{user}\", password: \"{StoredPassword ?? password}\" }}\n" : "";

    public string ConfigText(int node) => $$"""
        cluster {
          name: {{Name}}
          listen: "127.0.0.1:{{RoutePorts[node]}}"
          routes: [ {{string.Join(", ", Enumerable.Range(0, Size).Select(i => $"\"{RouteUrl(i)}\""))}} ]
        {{AuthorizationText}}  {{Extra}}
        }

        """;

    public string[] Flags(int node) =>
        ["--cluster", RouteUrl(node), "--routes", string.Join(",", Enumerable.Range(0, Size).Select(RouteUrl)), "--cluster_name", Name];
}
