using Broker.Protocol;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Broker.Accounts;
using Broker.Configuration;

namespace Broker.LeafNodes;

/// <summary>
/// This server's leaf nodes: the leafnode port (hub side), the remotes it connects to (leaf side),
/// the live links of both, and each account's interest as leaf links see it.
/// </summary>
public sealed class LeafNodeServer
{
    private readonly ILeafHost _server;
    private readonly object _interestGate = new();
    private readonly ConcurrentDictionary<ulong, LeafConnection> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<LeafRemote> _remotes = new();
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    private LeafNodeServer(ILeafHost server, LeafNodeOptions options)
    {
        _server = server;
        Options = options;
    }

    public LeafNodeOptions Options { get; }

    /// <summary>The leafnode port's bound endpoint; null when this server only connects out.</summary>
    public IPEndPoint? EndPoint { get; private set; }

    /// <summary>Live links, accepted and solicited, handshake done or not.</summary>
    public IReadOnlyCollection<LeafConnection> Connections => (IReadOnlyCollection<LeafConnection>)_connections.Values;

    /// <summary>The remotes this server connects to as a leaf.</summary>
    public IReadOnlyList<LeafRemote> Remotes => _remotes;

    /// <summary>Follows every account's interest from now on: made before any subscription exists, so nothing is missed.</summary>
    internal static LeafNodeServer Create(ILeafHost server, LeafNodeOptions options)
    {
        var leafs = new LeafNodeServer(server, options);
        foreach (var account in server.Accounts.All) leafs.InterestOf(account);
        return leafs;
    }

    /// <summary>Binds the leafnode port when one is configured; a failure propagates (nothing half-started).</summary>
    public void Bind()
    {
        var server = _server;
        var options = Options;
        var leafs = this;
        if (options.Listens)
        {
            var listener = new TcpListener(Transport.ListenAddress.Parse(options.Host), Math.Max(0, options.Port));
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            try
            {
                listener.Start();
            }
            catch (SocketException e)
            {
                throw new IOException($"Can't listen to the leafnode port {options.Host}:{options.Port}: {e.Message}", e);
            }
            leafs._listener = listener;
            leafs.EndPoint = (IPEndPoint)listener.LocalEndpoint;
            server.Log.Notice($"Listening for leafnode connections on {options.Host}:{leafs.EndPoint.Port}");
        }
    }

    /// <summary>Starts accepting and soliciting; called once the broker is otherwise ready.</summary>
    public void Run()
    {
        if (_listener is { } listener) _acceptLoop = Transport.AcceptLoop.RunAsync(listener.Server, Accept, _stop.Token);
        foreach (var remote in Options.Remotes)
        {
            var running = new LeafRemote(_server, this, remote);
            _remotes.Add(running);
            running.Start(_stop.Token);
        }
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        _listener?.Stop();
        await _acceptLoop.ConfigureAwait(false);
        foreach (var connection in _connections.Values) connection.Close("Server Shutdown");
    }

    private void Accept(Socket socket)
    {
        var connection = new LeafConnection(socket, _server, this, _server.NextClientId(), solicited: false);
        _connections[connection.Id] = connection;
        _server.Log.Debug($"{connection.Description} - Leafnode connection created");
        connection.StartAccepted();
    }

    internal LeafConnection NewSolicited(Socket socket)
    {
        var connection = new LeafConnection(socket, _server, this, _server.NextClientId(), solicited: true);
        _connections[connection.Id] = connection;
        return connection;
    }

    /// <summary>The account's interest as leaf links see it, made on first use (accounts an operator adds later).</summary>
    internal AccountLeafInterest InterestOf(Account account)
    {
        if (account.LeafInterest is AccountLeafInterest known) return known;
        lock (_interestGate)
        {
            if (account.LeafInterest is AccountLeafInterest raced) return raced;
            var interest = new AccountLeafInterest(account);
            account.LeafInterest = interest;
            return interest;
        }
    }

    internal void Established(LeafConnection connection)
    {
    }

    internal void Closed(LeafConnection connection) => _connections.TryRemove(connection.Id, out _);

    /// <summary>The leafnode port's INFO (nats-server's fields), with this link's id and nonce.</summary>
    internal LeafInfo CreateInfo(ulong id, string? ip, string nonce)
    {
        var host = Options.Host is "" or "0.0.0.0" or "::" ? "127.0.0.1" : Options.Host;
        var port = EndPoint?.Port ?? Options.Port;
        string[]? urls = Options.NoAdvertise ? [] : [Options.Advertise ?? $"{host}:{port}"];
        return new LeafInfo
        {
            ServerId = _server.ServerId,
            ServerName = _server.ServerName,
            Version = ReportedVersion.Value,
            Host = Options.Host,
            Port = port,
            Headers = true,
            AuthRequired = true,
            TlsRequired = Options.Tls is not null,
            TlsVerify = Options.Tls?.Verify ?? false,
            MaxPayload = _server.Options.MaxPayload,
            Ip = ip,
            ClientId = id,
            Nonce = nonce,
            LeafNodeUrls = urls,
            InfoOnConnect = true,
        };
    }
}
