using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Cluster;

public class ClusterMembershipTests
{
    [Fact]
    public async Task A_node_that_leaves_loses_its_interest_and_the_rest_keeps_working()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await using var onA = await NatsClients.ConnectAsync(cluster[0].Url);
        await using var onB = await NatsClients.ConnectAsync(cluster[1].Url);
        // A raw client on C: a NATS.Net client would fail over to A or B when C goes (as it should) and take its queue member along.
        await using var onC = await Broker.Tests.Infrastructure.RawClient.ConnectAsync(cluster[2].Server.ClientEndpoint.Port);
        await using var subB = await onB.SubscribeCoreAsync<string>("news");
        await using var queueB = await onB.SubscribeCoreAsync<int>("jobs", queueGroup: "q");
        await onC.SendAsync("CONNECT {\"verbose\":false}\r\nSUB jobs q 1\r\nPING\r\n");
        await onC.ReadUntilAsync("PONG\r\n");
        await cluster[0].WaitRemoteInterestAsync("news");
        await Eventually.Async(() => cluster[0].QueueMembers("jobs") == 2, "both nodes' members");

        await subB.DisposeAsync();
        await cluster[2].LeaveAsync();

        await Eventually.Async(() => cluster[0].QueueMembers("jobs") == 1, "C's interest to go");
        await Eventually.Async(() => cluster[1].QueueMembers("jobs") == 1, "C's interest to go on B too");
        await Eventually.Async(() => cluster[1].QueueMembers("jobs") == 1, "C's interest to go on B too");
        await Eventually.Async(() => cluster[0].Server.Context.ConnectUrls?.Length == 2, "C to leave connect_urls");
        await Eventually.Async(() => !cluster[0].HasRemoteInterest("news"), "B's unsubscription to arrive");

        // The remaining pair still delivers, to plain and queue subscribers.
        await using var again = await onB.SubscribeCoreAsync<string>("news");
        await cluster[0].WaitRemoteInterestAsync("news");
        await onA.PublishAsync("news", "still here");
        Assert.Equal("still here", (await NatsClients.ReadAsync(again, 1)).Single().Data);
        for (var i = 0; i < 5; i++) await onA.PublishAsync("jobs", i);
        Assert.Equal([0, 1, 2, 3, 4], (await NatsClients.ReadAsync(queueB, 5)).Select(m => m.Data));
    }

    [Fact]
    public async Task A_client_of_a_node_that_leaves_fails_over_to_another_and_receives_again()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await using var onA = await NatsClients.ConnectAsync(cluster[0].Url);
        await using var onC = await NatsClients.ConnectAsync(cluster[2].Url);
        await using var sub = await onC.SubscribeCoreAsync<string>("failover");
        await cluster[0].WaitRemoteInterestAsync("failover");
        var cPort = cluster[2].Server.ClientEndpoint.Port;
        Assert.Equal(3, onC.ServerInfo!.ClientConnectUrls?.Count());

        await cluster[2].LeaveAsync();

        // NATS.Net reconnects to a URL it learned from INFO connect_urls and subscribes again there.
        await Eventually.Async(() => onC.ConnectionState == NatsConnectionState.Open && onC.ServerInfo?.Port != cPort, "the client to reconnect elsewhere", 30);
        await Eventually.Async(() => cluster[0].HasRemoteInterest("failover") || HasLocal(cluster[0], "failover"), "its subscription to be known again", 30);
        await onA.PublishAsync("failover", "after the move");
        Assert.Equal("after the move", (await NatsClients.ReadAsync(sub, 1, timeoutSeconds: 20)).Single().Data);
    }

    private static bool HasLocal(TestCluster.Node node, string subject) =>
        node.Server.Context.Accounts["$G"].Index.Match(global::System.Text.Encoding.ASCII.GetBytes(subject)).Plain.Any(s => !s.Owner.IsRemote && !s.IsClosed);

    [Fact]
    public async Task A_late_joiner_gets_the_existing_interest_and_sends_its_own()
    {
        await using var cluster = await TestCluster.StartAsync(3, count: 2);
        await using var onA = await NatsClients.ConnectAsync(cluster[0].Url);
        await using var early = await onA.SubscribeCoreAsync<string>("greetings.*");
        await cluster[1].WaitRemoteInterestAsync("greetings.x");

        var late = await cluster.JoinNextAsync();
        await late.WaitRemoteInterestAsync("greetings.x");
        await using var onLate = await NatsClients.ConnectAsync(late.Url);
        await onLate.PublishAsync("greetings.late", "hello from the late node");
        Assert.Equal("hello from the late node", (await NatsClients.ReadAsync(early, 1)).Single().Data);

        await using var lateSub = await onLate.SubscribeCoreAsync<string>("from.*");
        await cluster[0].WaitRemoteInterestAsync("from.a");
        await onA.PublishAsync("from.a", "welcome");
        Assert.Equal("welcome", (await NatsClients.ReadAsync(lateSub, 1)).Single().Data);
    }

    [Fact]
    public async Task Info_carries_every_nodes_client_url_and_clients_hear_of_changes()
    {
        await using var cluster = await TestCluster.StartAsync(3, count: 2);
        await using var onA = await NatsClients.ConnectAsync(cluster[0].Url);
        var urls = onA.ServerInfo!.ClientConnectUrls ?? [];
        Assert.Equal(2, urls.Count());

        var late = await cluster.JoinNextAsync();

        var lateUrl = $"127.0.0.1:{late.Server.ClientEndpoint.Port}";
        await Eventually.Async(() => onA.ServerInfo!.ClientConnectUrls?.Contains(lateUrl) == true, "an INFO update naming the new node");
    }
}
