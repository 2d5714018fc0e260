using System.Net.Sockets;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Monitoring;

/// <summary>The monitoring port's life: up with the broker when asked for, 404s, and gone at shutdown.</summary>
public class MonitorListenerTests
{
    [Fact]
    public async Task Without_a_monitor_port_there_is_no_listener()
    {
        await using var broker = await TestBroker.StartAsync();
        Assert.Null(broker.Server.MonitorEndpoint);
    }

    [Fact]
    public async Task An_ephemeral_monitor_port_serves_healthz()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { HttpPort = 0 });
        var endpoint = broker.Server.MonitorEndpoint!;
        Assert.NotEqual(0, endpoint.Port);
        Assert.NotEqual(broker.Port, endpoint.Port);
        using var http = new MonitorClient(endpoint);

        var reply = await http.GetAsync("/healthz");

        Assert.Equal(200, reply.Status);
        Assert.Equal("application/json", reply.ContentType);
        Assert.Equal("{\"status\":\"ok\"}", reply.Body);
        Assert.Contains(broker.Log.Lines, l => l.Contains($"Starting http monitor on 127.0.0.1:{endpoint.Port}"));
    }

    [Theory]
    [InlineData("/nope")]
    [InlineData("/varz/")]
    [InlineData("/VARZ")]
    [InlineData("/healthz/x")]
    public async Task Unknown_paths_get_go_s_404(string path)
    {
        await using var broker = await TestBroker.StartAsync(o => o with { HttpPort = 0 });
        using var http = new MonitorClient(broker.Server.MonitorEndpoint!);

        var reply = await http.GetAsync(path);

        Assert.Equal(404, reply.Status);
        Assert.Equal("404 page not found\n", reply.Body);
    }

    [Fact]
    public async Task Shutdown_closes_the_monitor_port()
    {
        var broker = await TestBroker.StartAsync(o => o with { HttpPort = 0 });
        var port = broker.Server.MonitorEndpoint!.Port;
        await broker.DisposeAsync();

        using var tcp = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => tcp.ConnectAsync("127.0.0.1", port));
    }

    [Fact]
    public async Task A_monitor_port_in_use_stops_the_start_and_leaves_nothing_listening()
    {
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var clientPort = FreePort();

        var error = await Assert.ThrowsAsync<IOException>(() =>
            TestBroker.StartAsync(o => o with { HttpPort = port, Port = clientPort }));

        Assert.Contains($"Can't listen to the monitor port 127.0.0.1:{port}", error.Message);
        using var tcp = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => tcp.ConnectAsync("127.0.0.1", clientPort));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}
