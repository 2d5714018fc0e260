using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Broker.Clients;
using Broker.Protocol;
using Broker.Runtime;
using Broker.Transport;

namespace Broker.Server;

/// <summary>Accepts client sockets and hands each to the server actor, enforcing max_connections.</summary>
public sealed class ClientListener
{
    private readonly ServerContext _server;
    private readonly IActorRef _serverActor;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private Task _acceptLoop = Task.CompletedTask;

    public ClientListener(ServerContext server, IActorRef serverActor)
    {
        _server = server;
        _serverActor = serverActor;
        var options = server.Options;
        var address = ListenAddress.Parse(options.Host);
        _socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (address.Equals(IPAddress.IPv6Any)) _socket.DualMode = true;
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        var port = options.Port < 0 ? 0 : options.Port;
        _socket.Bind(new IPEndPoint(address, port));
        _socket.Listen(1024);
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public void Start() =>
        _acceptLoop = Task.Run(() => AcceptLoop.RunAsync(_socket, Accept, _stop.Token, e => _server.Log.Error($"Error accepting client connection: {e.Message}")));

    public async Task StopAsync()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Accept(Socket client)
    {
        client.NoDelay = true;
        var id = _server.NextClientId();
        if (_server.Connections.Count >= _server.Options.MaxConnections)
        {
            _ = RefuseAsync(client, id);
            return;
        }
        _server.Stats.ConnectionAccepted();
        var connection = new ClientConnection(client, _server, id);
        _server.Track(connection);
        _server.Connections[id] = connection;
        _server.Log.Debug($"{connection.Description} - Client connection created");
        _serverActor.Tell(new ServerActor.ClientAccepted(connection));
    }

    /// <summary>As nats-server: INFO, then the error, then close.</summary>
    private async Task RefuseAsync(Socket client, ulong id)
    {
        var remote = client.RemoteEndPoint as IPEndPoint;
        _server.Log.Error($"{remote} - cid:{id} - {ProtocolErrors.MaxConnectionsExceeded}");
        try
        {
            var info = _server.CreateInfo(id, remote?.Address.ToString()).ToFrame();
            await client.SendAsync(info, SocketFlags.None).ConfigureAwait(false);
            await client.SendAsync(ProtocolErrors.Frame(ProtocolErrors.MaxConnectionsExceeded), SocketFlags.None).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The refused client left first.
        }
        finally
        {
            client.Dispose();
        }
    }
}
