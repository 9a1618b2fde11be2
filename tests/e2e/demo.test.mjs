// `make demo`'s setting: the planner page served by the Graph sandbox, registering into its tenant.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { sandbox, browser, screenshot } from "./harness.mjs";

let site, chrome, page;

before(async () => {
  site = await sandbox("dist/www");
  chrome = await browser();
  const context = await chrome.newContext({ viewport: { width: 1200, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: site.url.replace(/\/$/, "") });
  page = await context.newPage();
  await page.goto(site.url);
  await page.waitForSelector("body[data-ready=true]");
});

after(async () => {
  await chrome?.close();
  site?.close();
});

const state = () => page.evaluate(async () => (await fetch("/sandbox/state")).json());

test("the full set registers from the page and every ID is one click from the clipboard", async () => {
  assert.equal(await page.isVisible("#sandbox"), true);
  await page.fill("#c-CR-count", "2");
  await page.fill("#c-CI-count", "2");
  await page.click("#sandbox-run");
  await page.waitForFunction(() => /Registered 10 apps/.test(document.getElementById("sandbox-status").textContent));
  assert.match(await page.textContent("#sandbox-status"), /in 4 round trips/);
  assert.equal(await page.locator("#sandbox-results tbody tr").count(), 10);
  const tenant = await state();
  assert.equal(tenant.applications.length, 10);
  assert.deepEqual(tenant.duplicates, []);
  const cr2 = tenant.applications.find((a) => a.uniqueName === "lucs-cr-2");
  const row = page.locator("#sandbox-results tbody tr", { hasText: "LUCS Conversation Recording (2)" });
  await row.locator("td:nth-child(4) button").click();
  await page.waitForFunction((b) => b.textContent === "Copied", await row.locator("td:nth-child(4) button").elementHandle());
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), cr2.appId);
  await row.locator("td:nth-child(5) button").click();
  await page.waitForFunction((b) => b.textContent === "Copied", await row.locator("td:nth-child(5) button").elementHandle());
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), tenant.tenantId);
  assert.equal(await page.locator("#sandbox-secrets .secret").count(), 4);
  await screenshot(page, "www-sandbox-run");
});

// Backoff is real here (seconds, capped at 30 s per wait), so this run takes tens of seconds.
test("with throttling, replication delay and dropped connections the run still completes, without duplicates", async () => {
  await page.click("#sandbox-reset");
  await page.check("#fault-throttle");
  await page.check("#fault-replication");
  await page.check("#fault-drop");
  await page.click("#sandbox-run");
  await page.waitForFunction(() => /Registered 10 apps|resume/.test(document.getElementById("sandbox-status").textContent), null, { timeout: 150000 });
  // A stop is resumable: pressing Register again continues from the journal.
  for (let i = 0; i < 5 && /resume/.test(await page.textContent("#sandbox-status")); i++) {
    await page.click("#sandbox-run");
    await page.waitForFunction(() => !document.getElementById("sandbox-run").disabled, null, { timeout: 150000 });
  }
  assert.match(await page.textContent("#sandbox-status"), /Registered 10 apps/);
  assert.ok(await page.locator("#sandbox-progress li.retrying").count() > 0, "retries are shown");
  // Each retry says why and how long it waits, in the words the popup uses.
  assert.match(await page.locator("#sandbox-progress li.retrying").first().textContent(),
    /\((waiting for Entra replication|throttled|waiting for a fresh token), attempt \d+, \d+ ms\)$/);
  const tenant = await state();
  assert.equal(tenant.applications.length, 10);
  assert.deepEqual(tenant.duplicates, []);
});

test("the sandbox section speaks the page's language, as the rest of the page does", async () => {
  try {
    await page.selectOption("#language", "de");
    const heads = await page.locator("#sandbox-results thead th").allTextContents();
    assert.deepEqual(heads, ["Komponente", "Instanz", "Anzeigename", "Anwendungs-ID (Client)", "Verzeichnis-ID (Mandant)", "Objekt-ID"]);
  } finally {
    await page.selectOption("#language", "en");
  }
  assert.equal(await page.textContent("#sandbox-results thead th:nth-child(4)"), "Application (client) ID");
});
