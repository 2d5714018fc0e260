using System.Net;
using System.Net.Sockets;
using Broker.Links;
using Broker.Transport;

namespace Broker.Cluster;

/// <summary>
/// The port peers open their data connections to: bound on the cluster's own host at a port the
/// system picks (no configuration; it travels in this node's Hello), accepted for
/// <see cref="InboundNodes"/>.
/// </summary>
internal sealed class NodeListener
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();

    public NodeListener(string? host)
    {
        _listener = new TcpListener(BindAddress(host), 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    public int Port { get; }

    public void Start(InboundNodes inbound, TimeSpan pingInterval, int pingMax) =>
        _ = AcceptLoop.RunAsync(_listener.Server, socket => inbound.Accept(new FramedConnection(socket, inbound, outbound: false), pingInterval, pingMax), _stopping.Token);

    public void Stop()
    {
        _stopping.Cancel();
        _listener.Stop();
    }

    /// <summary>The Akka host when it is an address; a host name (a wildcard listen advertises the machine's) listens everywhere.</summary>
    private static IPAddress BindAddress(string? host) =>
        IPAddress.TryParse(host, out var address) ? address
        : string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.Any;
}
