using Broker.Tests.Differential;

namespace Broker.Tests.Cluster;

/// <summary>nats-server processes joined by routes, from the same <see cref="ClusterBlock"/> the brokers get: the oracle.</summary>
public sealed class NatsServerProcessCluster(int size, string config = "") : ProcessCluster("nats-server", size, config)
{
    protected override async Task<RunningNode> StartNodeAsync(int node, ClusterLaunch launch)
    {
        var server = launch == ClusterLaunch.ConfigFile
            ? await NatsServerProcess.StartAsync(Config + "\n" + Block.ConfigText(node))
            : await NatsServerProcess.StartAsync(Config, Block.Flags(node));
        return new RunningNode(server.Port, server.Process, server, () => []);
    }
}
