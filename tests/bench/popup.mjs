// Benchmark: how soon the popup is interactive after it opens (the `lucs-popup-ready` performance mark, ms from
// navigation start) in headless Chromium with the release build, median of 15 opens; and the release zips' sizes.
// The browser is started by the launcher every browser test uses (dist/chrome installed as users install it).
import { stat } from "node:fs/promises";
import { launch } from "../e2e/realportal/browsers.mjs";

const browser = await launch("chromium", null);
const times = [];
try {
  for (let i = 0; i < 16; i++) {
    const page = await browser.openPopup();
    const ms = await page.evaluate(() => performance.getEntriesByName("lucs-popup-ready")[0].startTime);
    if (i > 0) times.push(ms); // the first open also starts the service worker and compiles the Wasm
    await page.close();
  }
} finally {
  await browser.close();
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const size = async (f) => (await stat(f)).size;
console.log(`popup interactive after open, median of ${times.length}: ${median.toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times.at(-1).toFixed(1)})`);
console.log(`popup_ready_ms=${Math.round(median)}`);
console.log(`chrome_zip_bytes=${await size("dist/lucs-app-registrar-chrome.zip")}`);
console.log(`firefox_zip_bytes=${await size("dist/lucs-app-registrar-firefox.zip")}`);
