using Akka.Actor;
using Akka.Configuration;
using Broker.Cluster;
using Broker.Configuration;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Cluster;

/// <summary>
/// Akka remoting does not authenticate a message's sender: anyone who reaches a node's cluster port
/// can look up an admitted member's actor (Identify) and send in its name. With
/// <c>cluster.authorization</c> (here a bcrypt hash, as nats-server allows), what a node acts on
/// carries a seal only a holder of the credentials can make, so such messages are ignored.
/// </summary>
public class ClusterForgedSenderTests
{
    private static readonly LinkAuthorization Authorization = new() { User = "route-user", Password = BCrypt.Net.BCrypt.HashPassword("route-secret", 6) };

    [Fact]
    public async Task Messages_sent_in_an_admitted_members_name_without_its_seal_are_ignored()
    {
        await using var cluster = await TestCluster.StartAsync(2, configure: o => o with { Cluster = new ClusterOptions { Listen = new ClusterEndpoint("127.0.0.1", 1), Authorization = Authorization } });
        var node0 = Akka.Cluster.Cluster.Get(cluster[0].System).SelfAddress;
        var node1 = Akka.Cluster.Cluster.Get(cluster[1].System).SelfAddress;
        var subject = $"forged.{Guid.NewGuid():N}";
        await using var onNode0 = await NatsClients.ConnectAsync(cluster[0].Url);
        await using var sub = await onNode0.SubscribeCoreAsync<string>(subject);
        await onNode0.PingAsync();
        await cluster[1].WaitRemoteInterestAsync(subject);

        // A plain remoting system, no cluster member: it only needs to reach node 0's port.
        using var stranger = ActorSystem.Create("stranger", ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.loglevel = WARNING
            """).WithFallback(ConfigurationFactory.ParseString(ClusterAkkaConfig.SerializationHocon)));
        var member1 = await stranger.ActorSelection(new RootActorPath(node1) / "user" / ClusterNodeActor.Name).ResolveOne(TimeSpan.FromSeconds(10));
        var target = await stranger.ActorSelection(new RootActorPath(node0) / "user" / ClusterNodeActor.Name).ResolveOne(TimeSpan.FromSeconds(10));

        target.Tell(new Hello(node1.ToString(), "nats://127.0.0.1:1") { DataPort = 1, Ticket = "forged" }, member1);
        target.Tell(new RouteRemoved([]), member1);
        // Messages between one pair of systems arrive in order: once this is answered, both forgeries were handled.
        await target.Ask<ActorIdentity>(new Identify(1), TimeSpan.FromSeconds(10));

        Assert.DoesNotContain(cluster[0].Server.Context.ConnectUrls ?? [], url => url.EndsWith(":1", StringComparison.Ordinal));
        // Node 0 still believes node 1: its interest stays, and node 1's message still arrives.
        await using var onNode1 = await NatsClients.ConnectAsync(cluster[1].Url);
        await onNode1.PublishAsync(subject, "from node 1");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal("from node 1", (await sub.Msgs.ReadAsync(timeout.Token)).Data);
        Assert.True(cluster[1].HasRemoteInterest(subject));
        Assert.Contains(((RecordingServerLog)cluster[0].Server.Context.Log).Lines, l => l.Contains($"ignored a Hello in the name of {node1}"));
    }
}
