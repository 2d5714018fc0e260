using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Broker.Tests.Monitoring;

/// <summary>
/// Opens the dashboard in headless Chromium through Playwright's .NET package (its driver ships in the
/// build output, so no npm step) and reports what the page showed at first and once its numbers moved,
/// how many points the chart had, and every console error, as one JSON object.
/// </summary>
internal static class DashboardBrowser
{
    private const float Timeout = 30_000;

    // Read inside the page: the dashboard's counters, the chart's inked pixels, the links table.
    private const string ReadPage = """
        () => {
          const text = id => document.getElementById(id).textContent;
          const count = id => Number(text(id).replace(/,/g, ""));
          const canvas = document.getElementById("throughput");
          const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
          let inked = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) inked++;
          return JSON.stringify({
            serverName: text("server-name"),
            status: text("status"),
            connections: count("connections"),
            subscriptions: count("subscriptions"),
            slowConsumers: count("slow-consumers"),
            inMsgs: count("in-msgs"),
            outMsgs: count("out-msgs"),
            inRate: text("in-rate"),
            points: Number(canvas.dataset.points),
            inkedPixels: inked,
            tableRows: document.querySelectorAll("#connz tr").length,
            connectionKinds: [...document.querySelectorAll("#connz tr")].map(tr => tr.dataset.kind),
            linksShown: !document.getElementById("links").hidden,
            cluster: text("cluster-name"),
            region: text("region-name"),
            links: [...document.querySelectorAll("#links-rows tr")].map(tr => [...tr.cells].map(td => td.textContent)),
          });
        }
        """;

    public static async Task<JsonObject> RunAsync(string url)
    {
        var screenshot = Environment.GetEnvironmentVariable("DASHBOARD_SCREENSHOT");
        var errors = new JsonArray();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserTools.Chromium,
            Headless = true,
            // Root in a container: Chromium's sandbox needs namespaces it may not get.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add("console: " + message.Text); };
        page.PageError += (_, error) => { lock (errors) errors.Add("page: " + error); };
        page.RequestFailed += (_, request) => { lock (errors) errors.Add("request failed: " + request.Url); };

        var response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = Timeout });
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent === 'live'", null, new PageWaitForFunctionOptions { Timeout = Timeout });
        var first = await ReadAsync(page);
        // The test publishes all along: the count must move, and the chart fill with rates.
        await page.WaitForFunctionAsync(
            "before => Number(document.getElementById('in-msgs').textContent.replace(/,/g, '')) > before && Number(document.getElementById('throughput').dataset.points) >= 3",
            (long)first["inMsgs"]!, new PageWaitForFunctionOptions { Timeout = Timeout });
        var later = await ReadAsync(page);
        if (!string.IsNullOrEmpty(screenshot)) await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        var headers = response!.Headers;
        return new JsonObject
        {
            ["httpStatus"] = response.Status,
            ["contentType"] = headers.TryGetValue("content-type", out var type) ? type : null,
            ["title"] = await page.TitleAsync(),
            ["first"] = first,
            ["later"] = later,
            ["errors"] = errors.DeepClone(),
        };
    }

    private static async Task<JsonObject> ReadAsync(IPage page) =>
        JsonNode.Parse(await page.EvaluateAsync<string>(ReadPage))!.AsObject();
}
