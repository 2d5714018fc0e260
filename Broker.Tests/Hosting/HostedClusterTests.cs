using System.Text;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Akka.Streams;
using Akka.Streams.Dsl;
using Broker.Hosting;
using Broker.InProcess;
using Broker.Subjects;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using AkkaClusterOptions = Akka.Cluster.Hosting.ClusterOptions;

namespace Broker.Tests.Hosting;

/// <summary>
/// Two generic-host applications with their own Akka.Cluster (WithRemoting + WithClustering): their
/// hosted brokers, opted in with <c>joinCluster</c>, form one broker cluster over it.
/// </summary>
public class HostedClusterTests
{
    private const string SystemName = "hosted-cluster";

    private static IHost BuildHost(string[] seeds, bool joinCluster)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddHealthChecks();
        builder.Services.AddHostedBroker();
        builder.Services.AddAkka(SystemName, akka => akka
            .AddHocon("""
                akka.loglevel = WARNING
                akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
                akka.cluster.gossip-interval = 200ms
                akka.cluster.leader-actions-interval = 200ms
                akka.cluster.periodic-tasks-initial-delay = 100ms
                akka.cluster.log-info = off
                """, HoconAddMode.Prepend)
            .WithRemoting(hostname: "127.0.0.1", port: 0)
            .WithClustering(new AkkaClusterOptions { SeedNodes = seeds })
            .WithBroker(o => o with { Host = "127.0.0.1", Port = 0 }, joinCluster: joinCluster));
        return builder.Build();
    }

    private static bool HasRemoteInterest(HostedBroker broker, string subject) =>
        broker.Server.Context.Accounts["$G"].Index.Match(Encoding.ASCII.GetBytes(subject)).Plain
            .Any(s => s.Owner.Reach == SubscriberReach.Cluster && !s.IsClosed);

    private static async Task<(IHost A, IHost B)> StartPairAsync(bool joinCluster)
    {
        var a = BuildHost([], joinCluster);
        await a.StartAsync();
        var cluster = Akka.Cluster.Cluster.Get(a.Services.GetRequiredService<Akka.Actor.ActorSystem>());
        // A forms the cluster by itself (its remoting port is only known now); B joins it as its seed.
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(TimeSpan.FromSeconds(20));
        var b = BuildHost([cluster.SelfAddress.ToString()], joinCluster);
        await b.StartAsync();
        await Eventually.Async(() => cluster.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == 2, "both applications Up");
        return (a, b);
    }

    [Fact]
    public async Task Hosted_brokers_in_two_clustered_applications_exchange_messages_and_requests_through_the_apps_cluster()
    {
        var (hostA, hostB) = await StartPairAsync(joinCluster: true);
        using var _a = hostA;
        using var _b = hostB;
        var brokerA = hostA.Services.GetRequiredService<HostedBroker>();
        var brokerB = hostB.Services.GetRequiredService<HostedBroker>();
        var systemA = hostA.Services.GetRequiredService<Akka.Actor.ActorSystem>();

        // An in-process stream and responder in application A ...
        await using var onA = brokerA.Connect(InProcessIdentity.GlobalAccount, "app-a");
        var (subscribed, received) = onA.Subscribe("orders.>").Take(10).ToMaterialized(Sink.Seq<BrokerMessage>(), Keep.Both).Run(systemA.Materializer());
        await subscribed;
        await using var serving = await onA.ServeAsync("stock.get", m => ValueTask.FromResult<Reply?>(Reply.Text("A has " + m.PayloadText)));
        await Eventually.Async(() => HasRemoteInterest(brokerB, "orders.new") && HasRemoteInterest(brokerB, "stock.get"), "A's interest seen on B");

        // ... reached by a NATS.Net client and an in-process client of application B.
        await using var natsOnB = await NatsClients.ConnectAsync($"nats://127.0.0.1:{brokerB.Server.ClientEndpoint.Port}");
        await using var onB = brokerB.Connect(InProcessIdentity.GlobalAccount, "app-b");
        for (var i = 0; i < 5; i++) await natsOnB.PublishAsync("orders.new", $"nats {i}");
        for (var i = 0; i < 5; i++) await onB.PublishAsync("orders.new", Encoding.UTF8.GetBytes($"inproc {i}"));
        var payloads = (await received.WaitAsync(TimeSpan.FromSeconds(20))).Select(m => m.PayloadText).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"nats {i}"), payloads.Where(p => p.StartsWith("nats")));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"inproc {i}"), payloads.Where(p => p.StartsWith("inproc")));
        Assert.Equal("A has pears", (await natsOnB.RequestAsync<string, string>("stock.get", "pears")).Data);
        Assert.Equal("A has plums", (await onB.RequestAsync("stock.get", Encoding.UTF8.GetBytes("plums"), TimeSpan.FromSeconds(20))).PayloadText);

        // And back: an in-process publisher in A reaches a NATS.Net subscriber of B.
        await using var sub = await natsOnB.SubscribeCoreAsync<string>("shipments");
        await Eventually.Async(() => HasRemoteInterest(brokerA, "shipments"), "B's interest seen on A");
        await onA.PublishAsync("shipments", Encoding.UTF8.GetBytes("shipped"));
        Assert.Equal("shipped", (await NatsClients.ReadAsync(sub, 1)).Single().Data);

        await hostB.StopAsync();
        await hostA.StopAsync();
    }

    [Fact]
    public async Task Without_joinCluster_the_hosted_brokers_of_a_clustered_application_stay_single_servers()
    {
        var (hostA, hostB) = await StartPairAsync(joinCluster: false);
        using var _a = hostA;
        using var _b = hostB;
        var brokerA = hostA.Services.GetRequiredService<HostedBroker>();
        var brokerB = hostB.Services.GetRequiredService<HostedBroker>();

        await using var onA = brokerA.Connect(InProcessIdentity.GlobalAccount);
        await using var serving = await onA.ServeAsync("stock.get", _ => ValueTask.FromResult<Reply?>(Reply.Text("A")));
        await using var onB = brokerB.Connect(InProcessIdentity.GlobalAccount);
        // The Akka cluster is up, yet B's broker knows no other node: nobody answers there.
        await Assert.ThrowsAsync<NoRespondersException>(() => onB.RequestAsync("stock.get", ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(5)));
        Assert.Null(brokerB.Server.Context.ClusterNode);

        await hostB.StopAsync();
        await hostA.StopAsync();
    }
}
