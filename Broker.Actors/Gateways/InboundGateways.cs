using System.Collections.Concurrent;
using Broker.Accounts;
using Broker.Logging;
using Broker.Links;
using Broker.Security;

namespace Broker.Gateways;

/// <summary>
/// The connections other regions' nodes open to this one: each introduces itself (CONNECT, in a
/// small frame and within the authorization timeout), proves the credentials
/// <c>gateway.authorization</c> asks for, and only then gets this region's INFO and interest; from
/// then on it sends messages, which are delivered on its read loop. Nothing here is sent back but
/// INFO and interest.
/// </summary>
internal sealed class InboundGateways(GatewayNode gateway, IGatewayHost server) : IFramedConnectionOwner
{
    private readonly ConcurrentDictionary<FramedConnection, Inbound> _connections = new();

    /// <summary>One inbound connection: who it is from (after its CONNECT) and its delivery state.</summary>
    public sealed class Inbound(GatewayInboundDelivery delivery)
    {
        private volatile GatewayFrames.ConnectFrame? _from;

        public GatewayFrames.ConnectFrame? From { get => _from; set => _from = value; }

        /// <summary>The <c>_GR_.REGION.</c> prefix every reply subject from this region carries (it speaks for itself only).</summary>
        public byte[] ReplyPrefix { get; set; } = [];
        public GatewayInboundDelivery Delivery { get; } = delivery;
    }

    public IEnumerable<(FramedConnection Connection, Inbound State)> Connections => _connections.Select(p => (p.Key, p.Value));

    /// <summary>The INFO this node sends: its region and the gateway URLs of the region's nodes it knows.</summary>
    public Func<GatewayFrames.InfoFrame> Info { get; set; } = () => throw new InvalidOperationException("not started");

    public void Accept(FramedConnection connection)
    {
        var inbound = _connections[connection] = new Inbound(new GatewayInboundDelivery(gateway, server.Accounts));
        connection.RequireHandshake(gateway.Options.Authorization?.Timeout ?? TimeSpan.FromSeconds(2), () => inbound.From is not null);
        connection.Start(server.Options.PingInterval, server.Options.PingMax);
    }

    public Task? WaitAfter(FramedConnection connection) =>
        _connections.TryGetValue(connection, out var inbound) ? inbound.Delivery.WaitForRoom() : null;

    public void OnFrame(FramedConnection connection, byte type, ReadOnlySpan<byte> body)
    {
        if (!_connections.TryGetValue(connection, out var inbound)) return;
        switch (type)
        {
            case GatewayFrames.Connect when inbound.From is null:
                var from = GatewayFrames.DecodeConnect(body.ToArray());
                if (!LinkAuthentication.Admits(gateway.Options.Authorization, from.Credentials))
                {
                    server.Log.Error($"Gateway connection from {connection.Remote} (says region \"{from.Region}\"): authentication error");
                    connection.Close("authentication error");
                    return;
                }
                // With a user per region, a region speaks as the one it authenticated as, and no other.
                if (gateway.Options.Authorization is { Users.Count: > 0 } && from.Credentials?.User != from.Region)
                {
                    server.Log.Error($"Gateway connection from {connection.Remote}: authenticated as region \"{from.Credentials?.User}\" but says region \"{from.Region}\"");
                    connection.Close("authentication error");
                    return;
                }
                if (from.Region == gateway.Region)
                {
                    connection.Close($"a node of this region ({from.Node}) connected as a gateway");
                    return;
                }
                if (gateway.Options.RejectUnknown && gateway.Options.Remotes.All(r => r.Name != from.Region))
                {
                    connection.Close($"unknown region \"{from.Region}\" rejected");
                    return;
                }
                inbound.ReplyPrefix = System.Text.Encoding.ASCII.GetBytes($"_GR_.{GatewayReplies.Tag(from.Region)}.");
                inbound.From = from;
                connection.FrameLimit = LinkFrames.MaxFrame;
                server.Log.Notice($"Gateway connection from region {from.Region} ({from.GatewayUrl}) established");
                gateway.Interest.Attach(connection, GatewayFrames.Encode(Info()));
                break;
            case LinkFrames.Messages when inbound.From is not null:
                if (!inbound.Delivery.Deliver(body, connection, inbound.ReplyPrefix))
                    connection.Close($"protocol error: region {inbound.From.Region} sent messages for an unknown account or with another region's reply subject");
                break;
            default:
                connection.Close($"unexpected frame type {type}");
                break;
        }
    }

    public void OnClosed(FramedConnection connection, string why)
    {
        gateway.Interest.Detach(connection);
        if (_connections.TryRemove(connection, out var inbound) && inbound.From is { } from)
            server.Log.Notice($"Gateway connection from region {from.Region} ({from.GatewayUrl}) closed: {why}");
    }

    public void CloseAll()
    {
        foreach (var connection in _connections.Keys) connection.Close("server shutting down");
    }
}
