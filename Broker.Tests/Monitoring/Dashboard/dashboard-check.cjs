// Opens the broker's dashboard in headless Chromium (Playwright's playwright-core, Debian's
// chromium) and prints one JSON line for the xunit test that runs it: what the page showed at
// first and once its numbers moved, how many points the chart had, and every console error.
//
// Usage: PLAYWRIGHT_CORE=<dir of playwright-core> node dashboard-check.cjs <dashboard url> [screenshot.png]
"use strict";

const { chromium } = require(process.env.PLAYWRIGHT_CORE || "playwright-core");

const url = process.argv[2];
const screenshot = process.argv[3];
const timeout = 30000;

function read(page) {
  return page.evaluate(() => {
    const text = id => document.getElementById(id).textContent;
    const count = id => Number(text(id).replace(/,/g, ""));
    const canvas = document.getElementById("throughput");
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) inked++;
    return {
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
      linksShown: !document.getElementById("links").hidden,
      cluster: text("cluster-name"),
      region: text("region-name"),
      links: [...document.querySelectorAll("#links-rows tr")].map(tr => [...tr.cells].map(td => td.textContent)),
    };
  });
}

(async () => {
  const errors = [];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    // Root in a container: Chromium's sandbox needs namespaces it may not get.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on("console", message => { if (message.type() === "error") errors.push("console: " + message.text()); });
    page.on("pageerror", error => errors.push("page: " + error.message));
    page.on("requestfailed", request => errors.push("request failed: " + request.url()));

    const response = await page.goto(url, { waitUntil: "load", timeout });
    await page.waitForFunction(() => document.getElementById("status").textContent === "live", null, { timeout });
    const first = await read(page);
    // The test publishes all along: the count must move, and the chart fill with rates.
    await page.waitForFunction(
      before => Number(document.getElementById("in-msgs").textContent.replace(/,/g, "")) > before
        && Number(document.getElementById("throughput").dataset.points) >= 3,
      first.inMsgs, { timeout });
    const later = await read(page);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    console.log(JSON.stringify({
      httpStatus: response.status(),
      contentType: response.headers()["content-type"],
      title: await page.title(),
      first,
      later,
      errors,
    }));
  } finally {
    await browser.close();
  }
})().catch(error => {
  console.log(JSON.stringify({ failure: String((error && error.stack) || error) }));
  process.exit(1);
});
