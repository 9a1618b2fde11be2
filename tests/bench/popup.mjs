// Benchmark: how soon the popup is interactive after it opens (the `lucs-popup-ready` performance mark, ms from
// navigation start) in headless Chromium with the release build, median of 15 opens; and the release zips' sizes.
import { mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const EXT = resolve("dist/chrome");
const context = await chromium.launchPersistentContext(await mkdtemp(join(tmpdir(), "lucs-bench-")), {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [`--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`, "--no-sandbox", "--disable-gpu",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
const id = new URL(worker.url()).host;
const times = [];
for (let i = 0; i < 16; i++) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${id}/popup.html`);
  await page.waitForSelector("body[data-ready=true]");
  const ms = await page.evaluate(() => performance.getEntriesByName("lucs-popup-ready")[0].startTime);
  if (i > 0) times.push(ms); // the first open also starts the service worker and compiles the Wasm
  await page.close();
}
await context.close();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const size = async (f) => (await stat(f)).size;
console.log(`popup interactive after open, median of ${times.length}: ${median.toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times.at(-1).toFixed(1)})`);
console.log(`popup_ready_ms=${Math.round(median)}`);
console.log(`chrome_zip_bytes=${await size("dist/lucs-app-registrar-chrome.zip")}`);
console.log(`firefox_zip_bytes=${await size("dist/lucs-app-registrar-firefox.zip")}`);
