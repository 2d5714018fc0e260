using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Broker.Accounts;
using Broker.Cluster;
using Broker.Configuration;

namespace Broker.Gateways;

/// <summary>Makes a broker one node of a region in a supercluster (the <c>gateway</c> block).</summary>
internal static class BrokerGateways
{
    /// <summary>Sets up the region's interest before the first subscription that other regions must hear of.</summary>
    public static GatewayNode Attach(GatewayOptions options, LocalInterest local, AccountDirectory accounts)
    {
        var gateway = new GatewayNode(options, local, accounts);
        local.AttachRegion(gateway.Interest);
        accounts.RegionReplies = gateway;
        return gateway;
    }

    /// <summary>Binds the gateway port (an error here stops the start, as a busy client port does) and starts the links.</summary>
    public static IActorRef Start(ActorSystem system, IGatewayHost context, GatewayNode gateway, string actorName)
    {
        var listen = gateway.Options.Listen;
        var address = listen.Host is "" or "0.0.0.0" ? IPAddress.Any : listen.Host is "::" or "[::]" ? IPAddress.IPv6Any : ParseHost(listen.Host);
        var listener = new TcpListener(address, listen.Port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new IOException($"Can't listen to the gateway port {listen}: {e.Message}", e);
        }
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var host = listen.Host is "" or "0.0.0.0" or "::" or "[::]" ? Dns.GetHostName() : listen.Host;
        gateway.GatewayUrl = new ClusterEndpoint(host, port).ToString();
        gateway.Local.GatewayUrl = gateway.GatewayUrl;
        context.Log.Notice($"Gateway \"{gateway.Region}\" listening for gateway connections on {gateway.GatewayUrl}");
        return system.ActorOf(GatewayActor.Props(context, gateway, listener), actorName);
    }

    private static IPAddress ParseHost(string host) =>
        IPAddress.TryParse(host, out var address) ? address : Dns.GetHostAddresses(host).First();
}
