using System.Text.Json.Nodes;
using Broker.InProcess;
using Broker.Tests.EndToEnd;

namespace Broker.Tests.Monitoring;

/// <summary>The dashboard at "/": served self-contained, and live in a real headless Chromium.</summary>
public class DashboardTests
{
    [Fact]
    public async Task The_page_is_self_contained_html()
    {
        await using var broker = await MonitoredBroker.StartAsync();

        var reply = await broker.Http.GetAsync("/");

        Assert.Equal(200, reply.Status);
        Assert.Equal("text/html; charset=utf-8", reply.ContentType);
        Assert.Contains("<canvas id=\"throughput\"", reply.Body);
        // Nothing from elsewhere: no scripts, styles or fonts from other hosts.
        Assert.DoesNotContain("src=\"http", reply.Body);
        Assert.DoesNotContain("href=\"http", reply.Body);
        Assert.DoesNotContain("@import", reply.Body);
        Assert.Equal(404, (await broker.Http.GetAsync("/index.html")).Status);
    }

    [BrowserFact]
    public async Task In_chromium_the_dashboard_shows_live_numbers_and_logs_no_errors()
    {
        await using var broker = await MonitoredBroker.StartAsync(o => o with { ServerName = "dashboard-test" });
        await using var subscriber = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await subscriber.SubscribeCoreAsync<byte[]>("dash.>");
        await subscriber.PingAsync();
        await using var publisher = await NatsClients.ConnectAsync(broker.Url);

        // Publishes all along, at a steady pace, until the browser has seen enough (bounded by the deadline).
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var publishing = PublishSteadilyAsync(publisher, "dash.load", stop.Token);

        JsonObject result;
        try
        {
            result = await RunScriptAsync($"http://127.0.0.1:{broker.Broker.Server.MonitorEndpoint!.Port}/?interval=200");
        }
        finally
        {
            await stop.CancelAsync();
            await publishing;
        }

        Assert.Equal(200, (int)result["httpStatus"]!);
        Assert.Equal("text/html; charset=utf-8", (string?)result["contentType"]);
        Assert.Empty(result["errors"]!.AsArray());
        var first = result["first"]!.AsObject();
        var later = result["later"]!.AsObject();
        Assert.Equal("dashboard-test", (string?)first["serverName"]);
        Assert.Equal("live", (string?)later["status"]);
        Assert.Equal(2, (int)later["connections"]!);
        Assert.True((int)later["subscriptions"]! >= 1);
        Assert.Equal(0, (int)later["slowConsumers"]!);
        Assert.True((long)later["inMsgs"]! > (long)first["inMsgs"]!, $"in_msgs did not move: {first} then {later}");
        Assert.True((long)later["outMsgs"]! > 0);
        Assert.True((int)later["points"]! >= 3);
        Assert.True((int)later["inkedPixels"]! > 0, "the chart drew nothing");
        Assert.Equal(2, (int)later["tableRows"]!);
        Assert.EndsWith("/s", (string?)later["inRate"]);
        // A single broker has no routes or gateways: the section stays hidden.
        Assert.False((bool)later["linksShown"]!);
    }

    [BrowserFact]
    public async Task In_chromium_an_in_process_connection_is_listed_as_its_own_kind_and_counted()
    {
        await using var broker = await MonitoredBroker.StartAsync();
        await using var subscriber = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await subscriber.SubscribeCoreAsync<byte[]>("dash.>");
        await subscriber.PingAsync();
        await using var app = broker.Broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount, "dash-app");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var publishing = Task.Run(async () =>
        {
            var payload = new byte[64];
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < 20; i++) await app.PublishAsync("dash.inprocess", payload);
                try
                {
                    await Task.Delay(50, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        JsonObject result;
        try
        {
            result = await RunScriptAsync($"http://127.0.0.1:{broker.Broker.Server.MonitorEndpoint!.Port}/?interval=200");
        }
        finally
        {
            await stop.CancelAsync();
            await publishing;
        }

        Assert.Empty(result["errors"]!.AsArray());
        var later = result["later"]!.AsObject();
        Assert.Equal(2, (int)later["connections"]!);
        Assert.Equal(["client", "in-process"], later["connectionKinds"]!.AsArray().Select(k => (string?)k).Order());
        Assert.True((long)later["inMsgs"]! > 0, "the in-process publisher's messages are counted in in_msgs");
    }

    /// <summary>
    /// Twenty messages every 50 ms until <paramref name="stop"/>: a load the page's rates can see.
    /// The pause paces the load; nothing waits on it.
    /// </summary>
    internal static Task PublishSteadilyAsync(NATS.Client.Core.NatsConnection publisher, string subject, CancellationToken stop) => Task.Run(async () =>
    {
        var payload = new byte[64];
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < 20; i++) await publisher.PublishAsync(subject, payload);
            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    });

    /// <summary>Opens <paramref name="url"/> in headless Chromium; what the page showed (see <see cref="DashboardBrowser"/>).</summary>
    internal static Task<JsonObject> RunScriptAsync(string url) => DashboardBrowser.RunAsync(url);
}
