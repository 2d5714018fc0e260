using Broker.Configuration;
using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using static Broker.Tests.LeafNodes.LeafTestSupport;

namespace Broker.Tests.LeafNodes;

/// <summary>
/// A remote with <c>hub: true</c> (nats-server semantics): the server that connects out is the
/// hub of that link and the acceptor its spoke. A spoke tells its hub only its own interest and
/// does not pass one hub's messages to another; a hub tells and passes everything.
/// </summary>
public sealed class LeafHubRoleTests
{
    /// <summary>
    /// B is an ordinary leaf of the Broker hub H and, with <c>hub: true</c>, the hub of nats-server N.
    /// As N's hub, B bridges it to H both ways (as a spoke of both it would bridge nothing).
    /// </summary>
    [NatsServerFact]
    public async Task A_Broker_remote_with_hub_true_is_the_hub_of_the_server_it_connects_to()
    {
        await using var h = await StartHubAsync();
        var nLeafPort = FreePort();
        await using var n = await StartNatsHubAsync(nLeafPort);
        await using var b = await TestBroker.StartAsync(o => o with
        {
            LeafNodes = new LeafNodeOptions
            {
                Listens = false,
                Remotes =
                [
                    new LeafRemoteOptions { Urls = [new Uri(LeafUrl(h))], ReconnectBase = TimeSpan.FromMilliseconds(200) },
                    new LeafRemoteOptions { Urls = [new Uri($"nats://127.0.0.1:{nLeafPort}")], ReconnectBase = TimeSpan.FromMilliseconds(200), Hub = true },
                ],
            },
        });
        await WaitLinkAsync(b, 2);
        Assert.Equal([false, true], LinksOf(b).OrderBy(l => l.IsSpoke).Select(l => l.IsSpoke));

        await using var onH = await NatsClients.ConnectAsync(h.Url);
        await using var onN = await NatsClients.ConnectAsync($"nats://127.0.0.1:{n.Port}");
        // H's interest reaches N through B (a hub tells its spoke everything), and N's messages reach H.
        await using var atH = await onH.SubscribeCoreAsync<string>("bridge.up");
        await WaitNatsInterestAsync(n, "bridge.up");
        await onN.PublishAsync("bridge.up", "from n");
        Assert.Equal("from n", (await NatsClients.ReadAsync(atH, 1))[0].Data);
        // And the reverse: H's message to B is passed on to N, whose spoke link is not another hub.
        await using var atN = await onN.SubscribeCoreAsync<string>("bridge.down");
        await WaitInterestAsync(h, "bridge.down");
        await onH.PublishAsync("bridge.down", "from h");
        Assert.Equal("from h", (await NatsClients.ReadAsync(atN, 1))[0].Data);
    }

    /// <summary>
    /// nats-server N connects to Broker B with <c>hub: true</c>: B's accepted link is its spoke. B is
    /// also an ordinary leaf of H, so it tells N only its own subscribers, never H's interest.
    /// </summary>
    [NatsServerFact]
    public async Task A_Broker_that_accepts_an_is_hub_connect_is_its_spoke()
    {
        await using var h = await StartHubAsync();
        await using var b = await TestBroker.StartAsync(o => o with
        {
            LeafNodes = new LeafNodeOptions
            {
                Host = "127.0.0.1",
                Port = 0,
                Remotes = [new LeafRemoteOptions { Urls = [new Uri(LeafUrl(h))], ReconnectBase = TimeSpan.FromMilliseconds(200) }],
            },
        });
        await using var n = await StartNatsLeafAsync(LeafUrl(b), "natshub", ", hub: true");
        await WaitLinkAsync(b, 2);
        Assert.All(LinksOf(b), l => Assert.True(l.IsSpoke));

        await using var onH = await NatsClients.ConnectAsync(h.Url);
        await using var onB = await NatsClients.ConnectAsync(b.Url);
        await using var onN = await NatsClients.ConnectAsync($"nats://127.0.0.1:{n.Port}");
        await using var atH = await onH.SubscribeCoreAsync<string>("h.only");
        await WaitInterestAsync(b, "h.only");
        await using var atB = await onB.SubscribeCoreAsync<string>("b.own");
        await WaitNatsInterestAsync(n, "b.own");
        // B's interest changes reach N in order: had h.only been told, it would have arrived first.
        Assert.DoesNotContain("h.only", await NatsInterestAsync(n));

        await onN.PublishAsync("b.own", "to b");
        Assert.Equal("to b", (await NatsClients.ReadAsync(atB, 1))[0].Data);
        await using var atN = await onN.SubscribeCoreAsync<string>("n.own");
        await WaitInterestAsync(b, "n.own");
        await onB.PublishAsync("n.own", "to n");
        Assert.Equal("to n", (await NatsClients.ReadAsync(atN, 1))[0].Data);
    }
}
