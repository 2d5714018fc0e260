using System.Net;
using System.Net.Sockets;
using System.Text;
using Broker.Links;
using Broker.Security;

namespace Broker.Tests.Cluster;

/// <summary>
/// The TLS every data connection between nodes uses (<see cref="LinkTls"/> under a
/// <see cref="FramedConnection"/>), through a recording proxy: the frames arrive whole, and the
/// wire shows only TLS records; a peer whose certificate another CA issued is refused.
/// </summary>
public sealed class LinkTlsTests : IDisposable
{
    private readonly LinkCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    private sealed class Recorder : IFramedConnectionOwner
    {
        public TaskCompletionSource<byte[]> Frame { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnFrame(FramedConnection connection, byte type, ReadOnlySpan<byte> body) => Frame.TrySetResult(body.ToArray());

        public void OnClosed(FramedConnection connection, string why) => Frame.TrySetException(new IOException(why));
    }

    [Fact]
    public async Task A_frame_crosses_whole_and_the_wire_shows_only_tls_records()
    {
        var tls = _certificates.Options();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        await using var proxy = new RecordingProxy { TargetPort = ((IPEndPoint)listener.LocalEndpoint).Port };
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
        var server = await listener.AcceptSocketAsync();

        var accepted = LinkTls.AcceptAsync(server, tls, CancellationToken.None);
        var dialed = await LinkTls.ConnectAsync(client, tls, "127.0.0.1", CancellationToken.None);
        var recorder = new Recorder();
        var inbound = new FramedConnection(server, recorder, outbound: false);
        inbound.Over(await accepted);
        inbound.Start(TimeSpan.FromMinutes(1), 2);
        var outbound = new FramedConnection(client, new Recorder(), outbound: true);
        outbound.Over(dialed);
        outbound.Start(TimeSpan.FromMinutes(1), 2);

        var payload = $"TOP-SECRET-{Guid.NewGuid():N}";
        outbound.Send(LinkSockets.Messages("$G", "payroll.secret.salary", "", payload));
        var body = await recorder.Frame.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(payload, Encoding.ASCII.GetString(body));
        Assert.DoesNotContain(payload, Encoding.ASCII.GetString(proxy.Recorded));
        Assert.DoesNotContain("payroll", Encoding.ASCII.GetString(proxy.Recorded));
        Assert.Equal(0x16, proxy.Recorded[0]);
        outbound.Close("done");
        inbound.Close("done");
    }

    [Theory]
    [InlineData("the dialing side", "mallory", "node")]
    [InlineData("the accepting side", "node", "mallory")]
    public async Task A_certificate_from_another_CA_fails_the_handshake(string who, string dialing, string accepting)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptSocketAsync();

        var accepted = LinkTls.AcceptAsync(server, _certificates.Options(accepting), CancellationToken.None);
        var dialed = LinkTls.ConnectAsync(client, _certificates.Options(dialing), "127.0.0.1", CancellationToken.None);

        // Whichever side sees the bad certificate aborts; the other sees the connection fail.
        var failure = await Record.ExceptionAsync(async () =>
        {
            await using var a = await accepted.WaitAsync(TimeSpan.FromSeconds(15));
            await using var d = await dialed.WaitAsync(TimeSpan.FromSeconds(15));
            // TLS 1.3: a refused client certificate shows at the first exchange.
            await d.WriteAsync(new byte[] { 1 });
            await d.FlushAsync();
            var read = await d.ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(15));
            if (read == 0) throw new IOException("closed");
        });
        Assert.True(failure is not null && LinkTls.IsHandshakeFailure(failure), $"{who}'s certificate from another CA was accepted ({failure})");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task The_dialing_side_refuses_a_certificate_that_names_another_host(string dialed)
    {
        var (accepted, connected) = await HandshakeAsync(_certificates.Options(), _certificates.Options("elsewhere"), dialed);
        var failure = await Record.ExceptionAsync(() => connected);
        Assert.True(failure is not null && LinkTls.IsHandshakeFailure(failure), $"a certificate for elsewhere.invalid was accepted for {dialed} ({failure})");
        await Record.ExceptionAsync(() => accepted);
    }

    [Fact]
    public async Task Insecure_skips_the_host_name_but_not_the_CA()
    {
        var insecure = _certificates.Options() with { Insecure = true };
        var (accepted, connected) = await HandshakeAsync(insecure, _certificates.Options("elsewhere"), "127.0.0.1");
        await using (await connected.WaitAsync(TimeSpan.FromSeconds(15)))
        await using (await accepted.WaitAsync(TimeSpan.FromSeconds(15)))
        {
        }

        var (fromMallory, toMallory) = await HandshakeAsync(insecure, _certificates.Options("mallory"), "127.0.0.1");
        var failure = await Record.ExceptionAsync(() => toMallory);
        Assert.True(failure is not null && LinkTls.IsHandshakeFailure(failure), $"insecure accepted a certificate from another CA ({failure})");
        await Record.ExceptionAsync(() => fromMallory);
    }

    /// <summary>A loopback TCP pair; the dialing side's TLS (checking <paramref name="dialedHost"/>) against the accepting side's.</summary>
    private static async Task<(Task<System.Net.Security.SslStream> Accepted, Task<System.Net.Security.SslStream> Connected)> HandshakeAsync(
        Broker.Configuration.TlsOptions dialing, Broker.Configuration.TlsOptions accepting, string dialedHost)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptSocketAsync();
        var accepted = LinkTls.AcceptAsync(server, accepting, CancellationToken.None);
        var connected = LinkTls.ConnectAsync(client, dialing, dialedHost, CancellationToken.None);
        return (accepted, connected);
    }

    [Fact]
    public void Insecure_is_read_from_cluster_and_gateway_tls_blocks()
    {
        var options = Broker.Configuration.BrokerConfigLoader.Parse($$"""
            cluster { listen: "127.0.0.1:6222", tls { {{_certificates.Block()}}, insecure: true } }
            gateway { name: east, listen: "127.0.0.1:7222", tls { {{_certificates.Block()}} } }
            """);

        Assert.True(options.Cluster!.Tls!.Insecure);
        Assert.False(options.Gateway!.Tls!.Insecure);
    }

    [Theory]
    [InlineData("cluster { listen: \"127.0.0.1:6222\", tls { @, verify_and_map: true } }", "cluster.tls.verify_and_map")]
    [InlineData("gateway { name: east, listen: \"127.0.0.1:7222\", tls { @, verify_and_map: true } }", "gateway.tls.verify_and_map")]
    public void Verify_and_map_on_a_link_is_refused_by_name(string config, string key)
    {
        var e = Assert.Throws<Broker.Configuration.ConfigurationException>(() => Broker.Configuration.BrokerConfigLoader.Parse(config.Replace("@", _certificates.Block())));
        Assert.Equal(key, e.Key);
        Assert.Contains("not supported yet", e.Problem);
    }
}
