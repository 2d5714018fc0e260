using Broker.Tests.Differential;

namespace Broker.Tests.Cluster;

/// <summary>nats-server processes joined by routes, from the same <see cref="ClusterBlock"/> the brokers get: the oracle.</summary>
public sealed class NatsServerProcessCluster(int size) : ProcessCluster("nats-server", size)
{
    protected override async Task<RunningNode> StartNodeAsync(int node, ClusterLaunch launch)
    {
        var server = launch == ClusterLaunch.ConfigFile
            ? await NatsServerProcess.StartAsync(Block.ConfigText(node))
            : await NatsServerProcess.StartAsync(flags: Block.Flags(node));
        return new RunningNode(server.Port, server.Process, server, () => []);
    }
}
