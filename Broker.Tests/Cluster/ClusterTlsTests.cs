using Broker.Tests.Infrastructure;
using System.Net.Security;
using System.Text;
using Broker.Cluster;
using Broker.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Broker.Tests.Cluster;

/// <summary>
/// Two Broker.Host processes with <c>cluster { tls }</c> (Akka remoting and the data connections
/// both TLS, certificates checked against <c>ca_file</c>): the cluster forms and delivers; a plain
/// socket or a certificate from another CA on the data port gets nothing and delivers nothing.
/// </summary>
public class ClusterTlsTests(ClusterTlsTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<ClusterTlsTests.Fixture>, IDisposable
{
    public sealed class Fixture : IAsyncLifetime
    {
        public LinkCertificates Certificates { get; } = new();

        public BrokerProcessCluster Cluster { get; private set; } = null!;

        public Task InitializeAsync()
        {
            Cluster = new BrokerProcessCluster(2, block: ClusterBlock.Plan(2, extra: $"tls {{ {Certificates.Block()} }}"));
            return Cluster.StartAsync(ClusterLaunch.ConfigFile, 0, 1);
        }

        public async Task DisposeAsync()
        {
            await Cluster.DisposeAsync();
            Certificates.Dispose();
        }
    }

    public void Dispose()
    {
        for (var node = 0; node < 2; node++) output.WriteLine($"node {node}:\n  " + string.Join("\n  ", fixture.Cluster.Log(node)));
    }

    private BrokerProcessCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Nodes_with_cluster_tls_form_and_deliver_across_nodes()
    {
        var subject = $"payroll.secret.{Guid.NewGuid():N}";
        await using var onNode0 = await NatsClients.ConnectAsync(Cluster.Url(0));
        await using var sub = await onNode0.SubscribeCoreAsync<string>(subject);
        await onNode0.PingAsync();
        await using var onNode1 = await NatsClients.ConnectAsync(Cluster.Url(1));

        // Interest crosses asynchronously: publish until one arrives.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await onNode1.PublishAsync(subject, "over tls");
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                Assert.Equal("over tls", (await sub.Msgs.ReadAsync(wait.Token)).Data);
                return;
            }
            catch (OperationCanceledException)
            {
            }
        }
        Assert.Fail("nothing crossed the TLS cluster");
    }

    [Fact]
    public async Task A_plain_socket_on_the_data_port_is_refused_and_delivers_nothing()
    {
        var errors = Cluster.Log(0).Count(l => l.Contains("TLS handshake failed"));
        using var socket = await LinkSockets.ConnectAsync(DataPort(0));
        await socket.SendAsync(LinkSockets.Frame(NodeFrames.Introduce, w => w.Write("a ticket")));
        await socket.SendAsync(LinkSockets.Messages("$G", "payroll.secret.injected", "", "from a plain socket"));

        var (closed, received) = await LinkSockets.ReadUntilClosedAsync(socket);

        Assert.True(closed);
        Assert.DoesNotContain("payroll", Encoding.ASCII.GetString(received));
        await Eventually.Async(() => Cluster.Log(0).Count(l => l.Contains("TLS handshake failed")) > errors, "the refusal in node 0's log");
    }

    [Fact]
    public async Task A_certificate_from_another_CA_is_refused_on_the_data_port()
    {
        var errors = Cluster.Log(1).Count(l => l.Contains("TLS handshake failed"));
        var mallory = fixture.Certificates.Options("mallory");
        using var socket = await LinkSockets.ConnectAsync(DataPort(1));
        await using var tls = new SslStream(new System.Net.Sockets.NetworkStream(socket, ownsSocket: false));

        // Mallory does not check the server (she only wants in); the server checks her.
        var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [mallory.Certificate],
            LocalCertificateSelectionCallback = (_, _, _, _, _) => mallory.Certificate,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        try
        {
            await handshake.WaitAsync(TimeSpan.FromSeconds(15));
            // TLS 1.3 reports a refused client certificate only at the first read.
            await tls.WriteAsync(LinkSockets.Frame(NodeFrames.Introduce, w => w.Write("a ticket")));
            var read = await tls.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(0, read);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
        }
        await Eventually.Async(() => Cluster.Log(1).Count(l => l.Contains("TLS handshake failed")) > errors, "the refusal in node 1's log");
    }

    private int DataPort(int node)
    {
        var line = Cluster.Log(node).First(l => l.Contains("Listening for cluster data connections on "));
        return int.Parse(line.Split("Listening for cluster data connections on ")[1].Split(' ')[0].Split(':')[^1]);
    }
}
