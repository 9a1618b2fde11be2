// `make demo`'s setting: the planner page served by the Graph sandbox, registering into its tenant.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { sandbox, blankPage, screenshot, PAGE_BROWSERS } from "./harness.mjs";

for (const kind of PAGE_BROWSERS) describe(kind, () => {
  let site, session, page;

  before(async () => {
    site = await sandbox("dist/www");
    session = await blankPage(kind, { origin: site.url.replace(/\/$/, "") });
    page = session.page;
    await page.goto(site.url);
    await page.waitForSelector("body[data-ready=true]");
  });

  after(async () => {
    await session?.close();
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
    assert.equal(await page.count("#sandbox-results tbody tr"), 10);
    const tenant = await state();
    assert.equal(tenant.applications.length, 10);
    assert.deepEqual(tenant.duplicates, []);
    const cr2 = tenant.applications.find((a) => a.uniqueName === "lucs-cr-2");
    const row = await page.withText("#sandbox-results tbody tr", "LUCS Conversation Recording (2)");
    for (const [cell, expected] of [[4, cr2.appId], [5, tenant.tenantId]]) {
      const button = `${row} td:nth-child(${cell}) button`;
      await page.click(button);
      await page.waitForFunction((b) => document.querySelector(b).textContent === "Copied", button);
      // Firefox asks the user before a page may read the clipboard: there the button's answer is what is seen.
      if (session.readClipboard) assert.equal(await session.readClipboard(), expected);
    }
    assert.equal(await page.count("#sandbox-secrets .secret"), 4);
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
    assert.ok(await page.count("#sandbox-progress li.retrying") > 0, "retries are shown");
    // Each retry says why and how long it waits, in the words the popup uses.
    assert.match(await page.textContent("#sandbox-progress li.retrying"),
      /\((waiting for Entra replication|throttled|waiting for a fresh token), attempt \d+, \d+ ms\)$/);
    const tenant = await state();
    assert.equal(tenant.applications.length, 10);
    assert.deepEqual(tenant.duplicates, []);
  });

  test("the sandbox section speaks the page's language, as the rest of the page does", async () => {
    try {
      await page.select("#language", "de");
      const heads = await page.allTextContents("#sandbox-results thead th");
      assert.deepEqual(heads, ["Komponente", "Instanz", "Anzeigename", "Anwendungs-ID (Client)", "Verzeichnis-ID (Mandant)", "Objekt-ID"]);
    } finally {
      await page.select("#language", "en");
    }
    assert.equal(await page.textContent("#sandbox-results thead th:nth-child(4)"), "Application (client) ID");
  });
});
