using System.Text;
using Broker.Configuration;
using Broker.Server;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Cluster;

/// <summary>
/// SUBs that race a reload taking a subscribe permission away: whichever side of the reload each
/// lands on, the end state is the reloaded one on every node: every subscription the new
/// permissions allow is held by the other node, and none they forbid is held anywhere.
/// </summary>
public class ClusterSubscribeDuringReloadTests
{
    private const int Pairs = 400;

    private static IReadOnlyList<UserOptions> Users(bool revokedAllowed) => BrokerConfigLoader.Parse($$"""
        authorization {
          users: [ { user: u, password: u, permissions: { subscribe: [ "allowed.>"{{(revokedAllowed ? ", \"revoked.>\"" : "")}}, "marker" ] } } ]
        }
        """).Users;

    [Fact]
    public async Task Subscriptions_made_while_a_reload_revokes_a_permission_end_in_the_reloaded_state_on_every_node()
    {
        await using var cluster = await TestCluster.StartAsync(2, configure: o => o with { Users = Users(revokedAllowed: true) });
        var subscriberNode = cluster[1];
        await using var client = await RawClient.ConnectAsync(subscriberNode.Server.ClientEndpoint.Port);
        await client.SendAsync("CONNECT {\"verbose\":false,\"user\":\"u\",\"pass\":\"u\"}\r\nPING\r\n");
        await client.ReadUntilAsync("PONG\r\n");

        var subs = new StringBuilder();
        for (var i = 0; i < Pairs; i++) subs.Append($"SUB allowed.{i} a{i}\r\nSUB revoked.{i} r{i}\r\n");
        var updated = subscriberNode.Server.Context.Options with { Users = Users(revokedAllowed: false) };
        // The SUBs and the reload start together: some SUBs are read before the reload, some after.
        var sending = client.SendAsync(subs.ToString());
        var reloading = Task.Run(() => subscriberNode.Server.ApplyReload(new ReloadPlan(updated, true, new HashSet<string>())));
        await Task.WhenAll(sending, reloading);
        foreach (var node in cluster.Nodes.Where(n => n != subscriberNode))
            node.Server.ApplyReload(new ReloadPlan(node.Server.Context.Options with { Users = Users(revokedAllowed: false) }, true, new HashSet<string>()));
        await client.SendAsync("SUB marker m\r\nPING\r\n");
        var output = await client.ReadUntilAsync("PONG\r\n", TimeSpan.FromSeconds(20));
        Assert.DoesNotContain("allowed.", output);

        // The marker's interest leaves after every change the SUBs and the reload made, on the same connection.
        await cluster[0].WaitRemoteInterestAsync("marker");
        var publisherNode = cluster[0];
        var missing = Enumerable.Range(0, Pairs).Where(i => !publisherNode.HasRemoteInterest($"allowed.{i}")).ToList();
        var kept = Enumerable.Range(0, Pairs).Where(i => publisherNode.HasRemoteInterest($"revoked.{i}")).ToList();
        var keptHere = Enumerable.Range(0, Pairs).Where(i => LocalSubscribers(subscriberNode, $"revoked.{i}") > 0).ToList();
        Assert.True(missing.Count == 0, $"allowed subscriptions the other node does not hold: {string.Join(", ", missing.Take(20))}");
        Assert.True(kept.Count == 0, $"revoked subscriptions the other node still holds: {string.Join(", ", kept.Take(20))}");
        Assert.True(keptHere.Count == 0, $"revoked subscriptions still on the subscriber's node: {string.Join(", ", keptHere.Take(20))}");
        Assert.All(Enumerable.Range(0, Pairs), i => Assert.Equal(1, LocalSubscribers(subscriberNode, $"allowed.{i}")));
    }

    private static int LocalSubscribers(TestCluster.Node node, string subject) =>
        node.Server.Context.Accounts["$G"].Index.Match(Encoding.ASCII.GetBytes(subject)).Plain
            .Count(s => s.Owner.Reach == Broker.Subjects.SubscriberReach.Local && !s.IsClosed);
}
