using System.Net;
using System.Net.Sockets;
using Broker.Configuration;
using Broker.Links;
using Broker.Transport;
using Broker.Security;

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

    /// <param name="tls"><c>cluster.tls</c>: each connection's TLS handshake (the peer's certificate checked) comes first; a failed one is logged through <paramref name="refused"/> and closed.</param>
    public void Start(InboundNodes inbound, TimeSpan pingInterval, int pingMax, TlsOptions? tls, Action<string> refused) =>
        _ = AcceptLoop.RunAsync(_listener.Server, socket =>
        {
            if (tls is null)
            {
                inbound.Accept(new FramedConnection(socket, inbound, outbound: false), pingInterval, pingMax);
                return;
            }
            var remote = socket.RemoteEndPoint?.ToString() ?? "?";
            LinkTls.AcceptAsync(socket, tls, _stopping.Token).ContinueWith(t =>
            {
                if (!t.IsCompletedSuccessfully)
                {
                    // A handshake this node abandons because it is stopping is nobody's fault: not logged as a refusal.
                    if (!_stopping.IsCancellationRequested)
                        refused($"Cluster data connection from {remote} refused: TLS handshake failed ({t.Exception?.GetBaseException().Message ?? "timed out"})");
                    socket.Dispose();
                    return;
                }
                var connection = new FramedConnection(socket, inbound, outbound: false);
                connection.Over(t.Result);
                inbound.Accept(connection, pingInterval, pingMax);
            }, TaskScheduler.Default);
        }, _stopping.Token);

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
