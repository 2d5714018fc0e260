using Broker.Tests.EndToEnd;
using Broker.Tests.Host;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;
using Xunit.Abstractions;

namespace Broker.Tests.Cluster;

/// <summary>
/// nats-server's <c>srv_a_bcrypt.conf</c> setup as Broker.Host processes: <c>cluster.authorization</c>
/// holds a bcrypt hash, the route URLs the password in clear. The nodes form and deliver; a node
/// whose routes carry a wrong password is refused.
/// </summary>
public class ClusterBcryptAuthorizationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_cluster_whose_authorization_holds_a_bcrypt_hash_forms_and_refuses_a_wrong_password()
    {
        var hash = BCrypt.Net.BCrypt.HashPassword("bar", 6);
        await using var cluster = new BrokerProcessCluster(2, block: ClusterBlock.Plan(2, authorization: ("ruser", "bar"), plainLinks: true, storedPassword: hash));
        try
        {
            await cluster.StartAsync(ClusterLaunch.ConfigFile, 0, 1);
            var subject = $"bcrypt.{Guid.NewGuid():N}";
            await using var onNode0 = await NatsClients.ConnectAsync(cluster.Url(0));
            await using var sub = await onNode0.SubscribeCoreAsync<string>(subject);
            await onNode0.PingAsync();
            await using var onNode1 = await NatsClients.ConnectAsync(cluster.Url(1));
            Assert.Equal("across", await FirstArrivalAsync(onNode1, sub, subject));

            // A third node with the hash in its own authorization but a wrong password in its route.
            var port = ClusterBlock.FreePortAbove(cluster.Block.RoutePorts[0]);
            var config = Path.Combine(Path.GetTempPath(), $"broker-bcrypt-{Guid.NewGuid():N}.conf");
            await File.WriteAllTextAsync(config, $$"""
                host: 127.0.0.1
                port: 0
                cluster {
                  name: {{cluster.Block.Name}}
                  listen: "127.0.0.1:{{port}}"
                  routes: [ "nats-route://ruser:wrong@127.0.0.1:{{cluster.Block.RoutePorts[0]}}" ]
                  authorization { user: ruser, password: "{{hash}}" }
                }
                {{BrokerProcessCluster.FastAkka}}
                """);
            await using var wrong = HostProcess.Start("-c", config);
            try
            {
                await Eventually.Async(() => cluster.Log(0).Any(l => l.Contains($"Cluster member akka.tcp://broker@127.0.0.1:{port} refused")), "node 0 to refuse the node with a wrong password", 30);
            }
            finally
            {
                output.WriteLine("wrong:\n  " + string.Join("\n  ", wrong.Output));
                File.Delete(config);
            }
        }
        finally
        {
            for (var node = 0; node < 2; node++) output.WriteLine($"node {node}:\n  " + string.Join("\n  ", cluster.Log(node)));
        }
    }

    /// <summary>Publishes until the message arrives (node 0's interest reaches node 1 a moment after the SUB).</summary>
    private static async Task<string?> FirstArrivalAsync(NatsConnection publisher, INatsSub<string> sub, string subject)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await publisher.PublishAsync(subject, "across");
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                return (await sub.Msgs.ReadAsync(wait.Token)).Data;
            }
            catch (OperationCanceledException)
            {
            }
        }
        return null;
    }
}
