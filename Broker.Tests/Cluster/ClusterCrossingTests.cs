using System.Text.RegularExpressions;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Cluster;

/// <summary>A message crosses to a node once, whatever number of that node's interests it matches, and is delivered there once per subscription.</summary>
public class ClusterCrossingTests
{
    [Fact]
    public async Task A_message_matching_plain_overlapping_and_queue_interest_on_one_node_is_delivered_once_per_subscription()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var subscriber = await RawClient.ConnectAsync(cluster[1].Server.ClientEndpoint.Port);
        await subscriber.SendAsync("CONNECT {}\r\nSUB foo.* 1\r\nSUB foo.> 2\r\nSUB foo.bar workers 3\r\nSUB foo.bar other 4\r\nSUB done 5\r\nPING\r\n");
        await subscriber.ReadUntilAsync("PONG\r\n");
        await cluster[0].WaitRemoteInterestAsync("foo.*");
        await cluster[0].WaitRemoteInterestAsync("foo.>");
        await cluster[0].WaitRemoteInterestAsync("foo.bar", "workers");
        await cluster[0].WaitRemoteInterestAsync("foo.bar", "other");
        await cluster[0].WaitRemoteInterestAsync("done");

        await using var publisher = await RawClient.ConnectAsync(cluster[0].Server.ClientEndpoint.Port);
        await publisher.SendAsync("CONNECT {}\r\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"PUB foo.bar 2\r\n{i,2}\r\n")) + "PUB done 0\r\n\r\nPING\r\n");
        await publisher.ReadUntilAsync("PONG\r\n");

        // The marker travels behind the messages on the same link.
        var received = await subscriber.ReadUntilAsync("MSG done 5 0\r\n");
        var sids = Regex.Matches(received, @"MSG foo\.bar (\d) 2\r\n").Select(m => m.Groups[1].Value).ToList();
        foreach (var sid in new[] { "1", "2", "3", "4" }) Assert.Equal(20, sids.Count(s => s == sid));
        Assert.Equal(80, sids.Count);
    }
}
