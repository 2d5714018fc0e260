using Broker.Tests.EndToEnd;

namespace Broker.Tests.Cluster;

public class ClusterLargeMessageTests
{
    [Fact]
    public async Task A_message_up_to_max_payload_crosses_nodes_even_past_remotings_default_frame_size()
    {
        const int size = 17 * 1024 * 1024;
        await using var cluster = await TestCluster.StartAsync(2, configure: o => o with { MaxPayload = 32 * 1024 * 1024 });
        await using var onA = await NatsClients.ConnectAsync(cluster[0].Url);
        await using var onB = await NatsClients.ConnectAsync(cluster[1].Url);
        await using var sub = await onB.SubscribeCoreAsync<byte[]>("big");
        await cluster[0].WaitRemoteInterestAsync("big");

        await onA.PublishAsync("big", new byte[size]);
        await onA.PublishAsync("big", new byte[10]);

        // The small one follows the big one on the same link: once it is in, the big one was delivered or lost.
        var got = (await NatsClients.ReadAsync(sub, 2)).Select(m => m.Data!.Length).ToList();
        Assert.Equal([size, 10], got);
    }
}
