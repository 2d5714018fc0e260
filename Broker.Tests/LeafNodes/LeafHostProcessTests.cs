using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using Broker.Tests.Host;
using static Broker.Tests.LeafNodes.LeafTestSupport;

namespace Broker.Tests.LeafNodes;

/// <summary>Broker.Host started as a process from a nats-server configuration file with a <c>leafnodes</c> block, linked to a nats-server process.</summary>
public sealed class LeafHostProcessTests
{
    [NatsServerFact]
    public async Task A_host_started_from_a_config_file_is_a_leaf_of_a_nats_server_hub()
    {
        var leafPort = FreePort();
        await using var hub = await StartNatsHubAsync(leafPort);
        var path = Path.Combine(Path.GetTempPath(), $"broker-leaf-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(path, $"listen: \"127.0.0.1:0\"\nserver_name: edge\nleafnodes {{\n  remotes: [ {{ url: \"nats://127.0.0.1:{leafPort}\" }} ]\n}}\n");
        try
        {
            await using var host = HostProcess.Start("-c", path);
            var port = await host.ListeningPort;
            await host.Ready;
            await host.WaitForLineAsync("Leafnode connection created for account: $G");

            await using var onHub = await NatsClients.ConnectAsync($"nats://127.0.0.1:{hub.Port}");
            await using var onLeaf = await NatsClients.ConnectAsync($"nats://127.0.0.1:{port}");
            await using var atHub = await onHub.SubscribeCoreAsync<string>("edge.events");
            await using var atLeaf = await onLeaf.SubscribeCoreAsync<string>("edge.commands");
            await WaitNatsInterestAsync(hub, "edge.commands");
            await onHub.PublishAsync("edge.commands", "reboot");
            Assert.Equal("reboot", (await NatsClients.ReadAsync(atLeaf, 1))[0].Data);
            // The hub's LS+ for edge.events left on the link before its message above (its client subscribed first), so the leaf holds it now.
            await onLeaf.PublishAsync("edge.events", "booted");
            Assert.Equal("booted", (await NatsClients.ReadAsync(atHub, 1))[0].Data);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
