using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using Broker.InProcess;
using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;

namespace Broker.Tests.InProcess;

/// <summary>In-process subscribers are cluster interest like any other; in-process publishers reach other nodes' clients.</summary>
public class InProcessClusterTests
{
    [Fact]
    public async Task Messages_and_requests_cross_nodes_between_in_process_and_network_clients()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var onA = cluster[0].Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var (subscribed, received) = onA.Subscribe("telemetry.>").Take(20).ToMaterialized(Sink.Seq<BrokerMessage>(), Keep.Both).Run(cluster[0].System.Materializer());
        await subscribed;
        await using var answering = await onA.ServeAsync("whoami", _ => ValueTask.FromResult<Reply?>(Reply.Text("node A")));
        await cluster[1].WaitRemoteInterestAsync("telemetry.x");
        await cluster[1].WaitRemoteInterestAsync("whoami");

        await using var clientOnB = await NatsClients.ConnectAsync(cluster[1].Url);
        for (var i = 0; i < 20; i++) await clientOnB.PublishAsync("telemetry.x", $"t{i}");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"t{i}"), (await received.WaitAsync(TimeSpan.FromSeconds(20))).Select(m => m.PayloadText));
        Assert.Equal("node A", (await clientOnB.RequestAsync<string, string>("whoami", "")).Data);

        // And the other way: an in-process publisher on B reaches a network subscriber on A.
        await using var clientOnA = await NatsClients.ConnectAsync(cluster[0].Url);
        await using var sub = await clientOnA.SubscribeCoreAsync<string>("commands");
        await cluster[1].WaitRemoteInterestAsync("commands");
        await using var onB = cluster[1].Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        onB.Publish("commands", Encoding.UTF8.GetBytes("go"));
        Assert.Equal("go", (await NatsClients.ReadAsync(sub, 1)).Single().Data);
        Assert.Equal("node A", (await onB.RequestAsync("whoami", ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(20))).PayloadText);
    }
}
