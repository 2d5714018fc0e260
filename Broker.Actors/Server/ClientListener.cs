using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Broker.Clients;
using Broker.Configuration;
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

    /// <param name="bound">The client port bound ahead by <see cref="Bind"/> (this listener owns it from now on); null binds it here.</param>
    public ClientListener(ServerContext server, IActorRef serverActor, Socket? bound = null)
    {
        _server = server;
        _serverActor = serverActor;
        _socket = bound ?? Bind(server.Options);
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    /// <summary>
    /// Binds and listens on the options' client port. A host may call it first thing, before the
    /// ActorSystem starts: the kernel then queues clients that connect during the start (instead of
    /// refusing them), and they get INFO as soon as the listener accepts. Throws <see cref="SocketException"/>.
    /// </summary>
    public static Socket Bind(BrokerOptions options)
    {
        var address = ListenAddress.Parse(options.Host);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, options.Port < 0 ? 0 : options.Port));
            socket.Listen(1024);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
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
