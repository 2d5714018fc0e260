using Broker.Tests.Infrastructure;
using System.Text;
using Broker.Cluster;
using Broker.Tests.EndToEnd;
using Broker.Tests.Host;
using NATS.Client.Core;
using Xunit.Abstractions;

namespace Broker.Tests.Cluster;

/// <summary>
/// Two Broker.Host processes with <c>cluster { authorization }</c>: a stranger broker that cannot
/// prove the credentials is refused (downed) and neither reads nor publishes; a raw socket on the
/// node data port can neither deliver a frame nor read any interest, and is closed.
/// </summary>
public class ClusterAuthorizationTests(ClusterAuthorizationTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<ClusterAuthorizationTests.Fixture>, IDisposable
{
    public const string User = "route-user";
    public const string Password = "route-secret";

    public sealed class Fixture : IAsyncLifetime
    {
        public BrokerProcessCluster Cluster { get; } = new(2, block: ClusterBlock.Plan(2, authorization: (User, Password), plainLinks: true));

        public Task InitializeAsync() => Cluster.StartAsync(ClusterLaunch.ConfigFile, 0, 1);

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }

    public void Dispose()
    {
        for (var node = 0; node < 2; node++) output.WriteLine($"node {node}:\n  " + string.Join("\n  ", fixture.Cluster.Log(node)));
    }

    private BrokerProcessCluster Cluster => fixture.Cluster;

    [Theory]
    [InlineData("no credentials", "")]
    [InlineData("a wrong password", User + ":wrong@")]
    public async Task A_stranger_broker_is_refused_by_the_cluster_and_neither_reads_nor_publishes(string what, string userInfo)
    {
        var subject = $"payroll.secret.{Guid.NewGuid():N}";
        await using var onNode0 = await NatsClients.ConnectAsync(Cluster.Url(0));
        await using var secrets = await onNode0.SubscribeCoreAsync<string>($"{subject}.>");
        await onNode0.PingAsync();

        // The stranger's own port sorts after node 0's, so it joins node 0 rather than forming a cluster of its own.
        var strangerPort = ClusterBlock.FreePortAbove(Cluster.Block.RoutePorts[0]);
        var config = Path.Combine(Path.GetTempPath(), $"broker-stranger-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(config, $$"""
            host: 127.0.0.1
            port: 0
            cluster {
              name: {{Cluster.Block.Name}}
              listen: "127.0.0.1:{{strangerPort}}"
              routes: [ "nats-route://{{userInfo}}127.0.0.1:{{Cluster.Block.RoutePorts[0]}}" ]
            }
            {{BrokerProcessCluster.FastAkka}}
            """);
        await using var stranger = HostProcess.Start("-c", config);
        NatsConnection? onStranger = null;
        try
        {
            var strangerUrl = $"nats://127.0.0.1:{await stranger.ListeningPort}";
            await stranger.Ready;
            // A stranger refused (downed) before its client gets in has exited: it published nothing, which is fine too.
            INatsSub<string>? stolen = null;
            try
            {
                onStranger = await NatsClients.ConnectAsync(strangerUrl, o => o with { MaxReconnectRetry = 0 });
                stolen = await onStranger.SubscribeCoreAsync<string>($"{subject}.>");
            }
            catch (NatsException)
            {
            }
            using var publishing = new CancellationTokenSource();
            // The stranger publishes all along, from before it joins until after it is refused.
            var leaks = Task.Run(async () =>
            {
                while (onStranger is not null && !publishing.IsCancellationRequested)
                {
                    try
                    {
                        // Bounded by the cancellation: once the stranger is gone, NATS.Net (no reconnects) can wait forever in a publish's connect.
                        await onStranger.PublishAsync($"{subject}.leak", "from the stranger").AsTask().WaitAsync(publishing.Token);
                        await Task.Delay(20, publishing.Token);
                    }
                    catch (Exception)
                    {
                        return;
                    }
                }
            });

            var refused = $"Cluster member akka.tcp://broker@127.0.0.1:{strangerPort} refused";
            await Eventually.Async(() => Cluster.Log(0).Any(l => l.Contains(refused)), $"node 0 to refuse the stranger with {what}", 30);

            // The cluster itself still works: node 1's message reaches node 0's subscriber, and only it.
            await using var onNode1 = await NatsClients.ConnectAsync(Cluster.Url(1));
            string? first = null;
            for (var attempt = 0; first is null && attempt < 50; attempt++)
            {
                await onNode1.PublishAsync($"{subject}.ok", "from node 1");
                await onNode0.PublishAsync($"{subject}.pay", "from node 0");
                using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                try
                {
                    await foreach (var msg in secrets.Msgs.ReadAllAsync(wait.Token))
                    {
                        if (msg.Subject.EndsWith(".leak", StringComparison.Ordinal)) Assert.Fail($"node 0's subscriber got the stranger's message ({what})");
                        if (msg.Subject.EndsWith(".ok", StringComparison.Ordinal))
                        {
                            first = msg.Data;
                            break;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }
            Assert.Equal("from node 1", first);
            await publishing.CancelAsync();
            await leaks;
            while (secrets.Msgs.TryRead(out var late)) Assert.False(late.Subject.EndsWith(".leak", StringComparison.Ordinal), "a stranger's message was delivered");
            // The stranger read nothing of node 0's, and never got as far as a Hello.
            while (stolen is not null && stolen.Msgs.TryRead(out var got)) Assert.False(got.Subject.EndsWith(".pay", StringComparison.Ordinal), "the stranger got node 0's message");
            Assert.DoesNotContain(stranger.Output, l => l.Contains("Cluster node akka.tcp://broker@127.0.0.1:" + Cluster.Block.RoutePorts[0] + " connected"));
        }
        finally
        {
            // Bounded for the same reason as its publishes: cleanup of a client whose server is gone must not hang the run.
            if (onStranger is not null) await onStranger.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
            output.WriteLine("stranger:\n  " + string.Join("\n  ", stranger.Output));
            File.Delete(config);
        }
    }

    [Fact]
    public async Task A_raw_socket_on_the_data_port_cannot_deliver_a_frame_nor_read_any_interest()
    {
        var subject = $"payroll.secret.{Guid.NewGuid():N}";
        await using var onNode0 = await NatsClients.ConnectAsync(Cluster.Url(0));
        await using var secrets = await onNode0.SubscribeCoreAsync<string>($"{subject}.>");
        await onNode0.PingAsync();

        using var socket = await LinkSockets.ConnectAsync(DataPort(0));
        // The old introduction (a node name and an incarnation), then a message into the global account.
        await socket.SendAsync(LinkSockets.Frame(NodeFrames.Introduce, w =>
        {
            w.Write($"akka.tcp://broker@127.0.0.1:{Cluster.Block.RoutePorts[1]}");
            w.Write(12345L);
        }));
        await socket.SendAsync(LinkSockets.Messages("$G", $"{subject}.injected", "", "from a raw socket"));
        var (closed, received) = await LinkSockets.ReadUntilClosedAsync(socket);

        Assert.True(closed, "the data port kept a connection that presented no admitted member's ticket");
        Assert.Empty(received);
        await AssertOnlyNode1sMessageArrivesAsync(secrets, subject);
    }

    [Fact]
    public async Task A_silent_socket_on_the_data_port_is_closed_within_the_authorization_timeout()
    {
        using var socket = await LinkSockets.ConnectAsync(DataPort(1));
        var started = DateTime.UtcNow;
        var (closed, received) = await LinkSockets.ReadUntilClosedAsync(socket, seconds: 15);

        Assert.True(closed);
        Assert.Empty(received);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_oversized_first_frame_on_the_data_port_is_refused_before_it_is_read()
    {
        using var socket = await LinkSockets.ConnectAsync(DataPort(0));
        var header = new byte[5];
        Broker.Links.LinkFrames.WriteHeader(header, NodeFrames.Introduce, 10 * 1024 * 1024);
        await socket.SendAsync(header);

        var (closed, received) = await LinkSockets.ReadUntilClosedAsync(socket, seconds: 5);

        Assert.True(closed, "a 10 MB introduction was waited for");
        Assert.Empty(received);
    }

    private int DataPort(int node)
    {
        var line = Cluster.Log(node).First(l => l.Contains("Listening for cluster data connections on "));
        var port = line.Split("Listening for cluster data connections on ")[1].Split(' ')[0].Split(':')[^1];
        return int.Parse(port);
    }

    /// <summary>A message from node 1 arrives (the cluster works), and nothing with <c>.injected</c> ever did.</summary>
    private async Task AssertOnlyNode1sMessageArrivesAsync(INatsSub<string> secrets, string subject)
    {
        await using var onNode1 = await NatsClients.ConnectAsync(Cluster.Url(1));
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await onNode1.PublishAsync($"{subject}.ok", "from node 1");
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                var msg = await secrets.Msgs.ReadAsync(wait.Token);
                Assert.Equal($"{subject}.ok", msg.Subject);
                return;
            }
            catch (OperationCanceledException)
            {
            }
        }
        Assert.Fail("node 1's message never reached node 0");
    }
}
