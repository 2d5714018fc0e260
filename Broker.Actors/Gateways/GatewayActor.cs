using System.Net.Sockets;
using Akka.Actor;
using Broker.Accounts;
using Broker.Cluster;
using Broker.Links;
using Broker.Subjects;
using Broker.Transport;
using Broker.Security;

namespace Broker.Gateways;

/// <summary>
/// This node's gateways: accepts other regions' nodes on the <c>gateway.listen</c> endpoint, and
/// keeps one outbound connection to one node of every other region, re-chosen from the URLs it
/// knows (configured, then learned from the region's INFO) whenever the connection ends. The
/// remote region's interest arrives on that connection and is applied here, in order; messages
/// never pass through this actor.
/// </summary>
internal sealed class GatewayActor : ReceiveActor, IWithTimers
{
    public const string Name = "broker-gateway";

    private static readonly TimeSpan RetryFirst = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RetryMost = TimeSpan.FromSeconds(2);

    private readonly IGatewayHost _server;
    private readonly GatewayNode _gateway;
    private readonly InboundGateways _inbound;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly PendingChanges _changes = new();
    private readonly Dictionary<string, TimeSpan> _retryDelay = new(StringComparer.Ordinal);

    public static Props Props(IGatewayHost server, GatewayNode gateway, TcpListener listener) =>
        Akka.Actor.Props.Create(() => new GatewayActor(server, gateway, listener));

    /// <param name="listener">The gateway port, already bound (by <see cref="BrokerGateways.Start"/>); this actor accepts on it and stops it.</param>
    public GatewayActor(IGatewayHost server, GatewayNode gateway, TcpListener listener)
    {
        _server = server;
        _gateway = gateway;
        _listener = listener;
        _inbound = gateway.Inbound = new InboundGateways(gateway, server) { Info = Info };

        Receive<ConnectTo>(c => ConnectAsync(c.Region));
        Receive<ConnectedTo>(OnConnected);
        Receive<ConnectFailed>(f => RetryLater(f.Region, f.Why));
        Receive<InfoReceived>(OnInfo);
        Receive<InterestReceived>(OnInterest);
        Receive<OutboundClosed>(OnOutboundClosed);
        Receive<Cluster.ClusterNodeActor.AccountAdded>(added =>
        {
            foreach (var region in _gateway.Regions) region.AccountAdded(added.Account, _changes);
        });
        Receive<RegionGatewayUrlsChanged>(_ => _gateway.Interest.Broadcast(GatewayFrames.Encode(Info())));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record ConnectTo(OutboundRegion Region);
    private sealed record ConnectedTo(OutboundRegion Region, Socket Socket, Stream? Tls);
    private sealed record ConnectFailed(OutboundRegion Region, string Why);
    private sealed record InfoReceived(FramedConnection Connection, GatewayFrames.InfoFrame Info);
    private sealed record InterestReceived(FramedConnection Connection, GatewayFrames.InterestFrame Interest);
    private sealed record OutboundClosed(FramedConnection Connection, string Why);

    protected override void PreStart()
    {
        var self = Self;
        _ = AcceptLoop.RunAsync(_listener.Server, Accept, _stopping.Token);
        var offset = GatewayReplies.Tag(_gateway.Local.Node).Sum(c => c);
        foreach (var region in _gateway.Regions)
        {
            // Each node starts at its own place in the list, so a region's nodes spread their links over the other's.
            region.NextUrl = offset % Math.Max(1, region.Urls.Count);
            self.Tell(new ConnectTo(region));
        }
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _listener.Stop();
        _inbound.CloseAll();
        foreach (var region in _gateway.Regions) region.Connection?.Close("server shutting down");
    }

    /// <summary>An inbound connection; with <c>gateway.tls</c>, only once its TLS handshake passed (the peer's certificate checked).</summary>
    private void Accept(Socket socket)
    {
        if (_gateway.Options.Tls is not { } tls)
        {
            _inbound.Accept(new FramedConnection(socket, _inbound, outbound: false) { Cid = _server.NextClientId() });
            return;
        }
        var remote = socket.RemoteEndPoint?.ToString() ?? "?";
        LinkTls.AcceptAsync(socket, tls, _stopping.Token).ContinueWith(t =>
        {
            if (!t.IsCompletedSuccessfully)
            {
                // A handshake abandoned because this server is stopping is not a refusal.
                if (!_stopping.IsCancellationRequested)
                    _server.Log.Error($"Gateway connection from {remote} refused: TLS handshake failed ({t.Exception?.GetBaseException().Message ?? "timed out"})");
                socket.Dispose();
                return;
            }
            var connection = new FramedConnection(socket, _inbound, outbound: false) { Cid = _server.NextClientId() };
            connection.Over(t.Result);
            _inbound.Accept(connection);
        }, TaskScheduler.Default);
    }

    private GatewayFrames.InfoFrame Info() =>
        new(_gateway.Region, _gateway.Local.Node, _gateway.Local.RegionGatewayUrls.Prepend(_gateway.GatewayUrl).Distinct().ToArray());

    private void ConnectAsync(OutboundRegion region)
    {
        if (region.Connection is not null || region.Urls.Count == 0) return;
        var url = region.Urls[region.NextUrl % region.Urls.Count];
        region.NextUrl++;
        var endpoint = Configuration.ClusterEndpoint.TryParse(url);
        if (endpoint is null)
        {
            RetryLater(region, $"bad gateway URL \"{url}\"");
            return;
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var self = Self;
        var (tls, stopping) = (region.Tls, _stopping.Token);
        _ = Task.Run(async () =>
        {
            try
            {
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, stopping).ConfigureAwait(false);
                var stream = tls is null ? null : await LinkTls.ConnectAsync(socket, tls, endpoint.Host, stopping).ConfigureAwait(false);
                self.Tell(new ConnectedTo(region, socket, stream));
            }
            catch (Exception e)
            {
                socket.Dispose();
                self.Tell(new ConnectFailed(region, $"{url}: {e.GetBaseException().Message}"));
            }
        });
    }

    private void OnConnected(ConnectedTo connected)
    {
        var region = connected.Region;
        var connection = new FramedConnection(connected.Socket, new OutboundOwner(Self), outbound: true) { Cid = _server.NextClientId() };
        if (connected.Tls is not null) connection.Over(connected.Tls);
        region.Connected(connection);
        // Until the other side's INFO, only small frames and only for so long: it may not be a gateway at all.
        connection.RequireHandshake(_gateway.Options.Authorization?.Timeout ?? TimeSpan.FromSeconds(2), () => connection.FrameLimit > LinkFrames.MaxHandshakeFrame);
        connection.Start(_server.Options.PingInterval, _server.Options.PingMax);
        connection.Send(GatewayFrames.Encode(new GatewayFrames.ConnectFrame(_gateway.Region, _gateway.Local.Node, _gateway.GatewayUrl) { Credentials = region.Credentials }));
    }

    private void OnInfo(InfoReceived received)
    {
        var region = RegionOf(received.Connection);
        if (region is null) return;
        if (received.Info.Region != region.Name)
        {
            _server.Log.Error($"Gateway \"{region.Name}\" at {received.Connection.Remote} says it is region \"{received.Info.Region}\": closing");
            received.Connection.Close("wrong region");
            return;
        }
        var first = !region.Established;
        region.Introduced(received.Info);
        _retryDelay.Remove(region.Name);
        if (first) _server.Log.Notice($"Gateway connection to region {region.Name} ({received.Connection.Remote}) established");
    }

    private void OnInterest(InterestReceived received)
    {
        var region = RegionOf(received.Connection);
        if (region is null) return;
        foreach (var entry in received.Interest.Removed) region.Remove(entry, _changes);
        foreach (var entry in received.Interest.Added) region.Add(entry, _changes);
    }

    private void OnOutboundClosed(OutboundClosed closed)
    {
        var region = RegionOf(closed.Connection);
        if (region is null) return;
        var wasEstablished = region.Established;
        region.Disconnected(_changes);
        if (wasEstablished) _server.Log.Notice($"Gateway connection to region {region.Name} ({closed.Connection.Remote}) closed: {closed.Why}");
        RetryLater(region, closed.Why);
    }

    private OutboundRegion? RegionOf(FramedConnection connection) =>
        _gateway.Regions.FirstOrDefault(r => ReferenceEquals(r.Connection, connection));

    private void RetryLater(OutboundRegion region, string why)
    {
        if (_stopping.IsCancellationRequested) return;
        var delay = _retryDelay.GetValueOrDefault(region.Name, RetryFirst);
        _retryDelay[region.Name] = TimeSpan.FromTicks(Math.Min(RetryMost.Ticks, delay.Ticks * 2));
        _server.Log.Debug($"Gateway \"{region.Name}\": {why}; next attempt in {delay.TotalMilliseconds} ms");
        Timers.StartSingleTimer($"connect-{region.Name}", new ConnectTo(region), delay);
    }

    /// <summary>Turns an outbound connection's frames into messages to the actor, in order; outbound connections receive no messages.</summary>
    private sealed class OutboundOwner(IActorRef actor) : IFramedConnectionOwner
    {
        public void OnFrame(FramedConnection connection, byte type, ReadOnlySpan<byte> body)
        {
            switch (type)
            {
                case GatewayFrames.Info:
                    connection.FrameLimit = LinkFrames.MaxFrame;
                    actor.Tell(new InfoReceived(connection, GatewayFrames.DecodeInfo(body.ToArray())));
                    break;
                case GatewayFrames.Interest:
                    actor.Tell(new InterestReceived(connection, GatewayFrames.DecodeInterest(body.ToArray())));
                    break;
                default:
                    connection.Close($"unexpected frame type {type} on an outbound gateway connection");
                    break;
            }
        }

        public void OnClosed(FramedConnection connection, string why) => actor.Tell(new OutboundClosed(connection, why));
    }
}
