using System.Text.Json.Nodes;
using Broker.Tests.EndToEnd;
using Broker.Tests.Monitoring;
using static Broker.Tests.LeafNodes.LeafTestSupport;

namespace Broker.Tests.LeafNodes;

/// <summary>The dashboard of a hub with a leaf, in headless Chromium: the leaf link with its account and counters.</summary>
public sealed class LeafDashboardTests
{
    [BrowserFact]
    public async Task In_chromium_a_hub_shows_its_leaf_link_with_its_account_and_messages_crossing()
    {
        await using var hub = await StartHubAsync(configure: o => o with { HttpPort = 0, NoSystemAccount = true });
        await using var leaf = await StartLeafAsync(LeafUrl(hub));
        await WaitLinkAsync(hub);
        await using var onLeaf = await NatsClients.ConnectAsync(leaf.Url);
        await using var sub = await onLeaf.SubscribeCoreAsync<byte[]>("dash.>");
        await WaitInterestAsync(hub, "dash.>");
        await using var publisher = await NatsClients.ConnectAsync(hub.Url);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var publishing = DashboardTests.PublishSteadilyAsync(publisher, "dash.load", stop.Token);
        JsonObject result;
        try
        {
            result = await DashboardTests.RunScriptAsync($"http://127.0.0.1:{hub.Server.MonitorEndpoint!.Port}/?interval=200");
        }
        finally
        {
            await stop.CancelAsync();
            await publishing;
        }

        Assert.Empty(result["errors"]!.AsArray());
        var later = result["later"]!.AsObject();
        Assert.True((bool)later["linksShown"]!);
        var links = later["links"]!.AsArray().Select(r => r!.AsArray().Select(c => (string)c!).ToArray()).ToList();
        var row = Assert.Single(links, l => l[0] == "leaf");
        Assert.Equal("$G", row[1]);
        Assert.StartsWith("127.0.0.1:", row[2]);
        // Messages went out to the leaf while the page watched.
        Assert.NotEqual("0", row[4]);
    }
}
