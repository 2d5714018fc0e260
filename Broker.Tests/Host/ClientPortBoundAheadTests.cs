using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Broker.Configuration;
using Broker.Server;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Host;

/// <summary>
/// Broker.Host binds the client port before its ActorSystem starts (<see cref="ClientListener.Bind"/>):
/// a client that connects during the start waits in the kernel's backlog and is served once the
/// broker is up, instead of being refused; a start that fails closes the port again.
/// </summary>
public class ClientPortBoundAheadTests
{
    private static readonly Config QuietAkka = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");

    [Fact]
    public async Task A_client_that_connected_before_the_broker_started_is_served_once_it_has()
    {
        var options = new BrokerOptions { Host = "127.0.0.1", Port = 0 };
        var bound = ClientListener.Bind(options);
        var port = ((IPEndPoint)bound.LocalEndPoint!).Port;
        // Connected (the kernel accepted it) while there is no broker yet.
        await using var early = await RawClient.ConnectAsync(port, readInfo: false);

        using var system = ActorSystem.Create("bound-ahead", QuietAkka);
        await using var server = await BrokerServer.StartAsync(system, options with { Port = port }, new RecordingServerLog(), bound);

        Assert.Equal(port, server.ClientEndpoint.Port);
        Assert.StartsWith("INFO {", await early.ReadUntilAsync("\r\n"));
        await early.SendAsync("CONNECT {\"verbose\":false}\r\nSUB a 1\r\nPUB a 2\r\nhi\r\nPING\r\n");
        Assert.Equal("MSG a 1 2\r\nhi\r\nPONG\r\n", await early.ReadUntilAsync("PONG\r\n"));

        // And the official client, on the same listener.
        await using var nats = new NatsConnection(new NatsOpts { Url = $"nats://127.0.0.1:{port}" });
        await nats.ConnectAsync();
        Assert.Equal(NatsConnectionState.Open, nats.ConnectionState);
        await system.Terminate();
    }

    [Fact]
    public async Task A_start_that_fails_closes_the_port_bound_for_it()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var monitorPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var options = new BrokerOptions { Host = "127.0.0.1", Port = 0, HttpHost = "127.0.0.1", HttpPort = monitorPort };
        var bound = ClientListener.Bind(options);
        var port = ((IPEndPoint)bound.LocalEndPoint!).Port;

        using var system = ActorSystem.Create("bound-ahead-fails", QuietAkka);
        await Assert.ThrowsAsync<IOException>(() => BrokerServer.StartAsync(system, options with { Port = port }, new RecordingServerLog(), bound));

        using var client = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        await system.Terminate();
    }
}
