// Client secrets are never lost in silence: they wait in storage.session — through the popup closing and the
// service worker stopping — until the admin marks each one stored on the results page, a tab that stays open while
// they are copied elsewhere; the toolbar badge counts them; storage.local never holds a secret's text; and a secret
// whose text went with the browser session is said to be lost.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eachBrowser } from "./suite.mjs";
import { APP_REGISTRATIONS, assertFullSet, click, copyWith, count, downloadWith, popupReady, prepare, recordOutputs, registerAndWait, waitFor } from "./steps.mjs";

eachBrowser((suite) => {
  before(() => suite.start());
  after(() => suite.stop());

  // What the extension holds, read from an extension page of its own: the waiting secrets, everything in
  // storage.local, and the toolbar badge.
  async function holdings() {
    const page = await suite.extensionPage("options.html");
    try {
      return await page.evaluate(async () => {
        const api = globalThis.browser ?? globalThis.chrome;
        return {
          waiting: (await api.storage.session.get("secrets")).secrets ?? [],
          local: JSON.stringify(await api.storage.local.get(null)),
          badge: await api.action.getBadgeText({}),
        };
      });
    } finally {
      await page.close();
    }
  }
  const waitSecrets = (page, n) => waitFor(page, (m) => document.body.dataset.secrets === m, String(n), { what: `${n} waiting secrets in the popup` });
  const rowsOn = (results, n) => waitFor(results, (m) => document.querySelectorAll("#secrets tbody tr").length === m, n, { what: `${n} secrets on the results page` });

  test(`${suite.name}: the secrets wait through a closed popup and a stopped worker until each is marked stored; lost ones are said`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const portal = await suite.portal("portal", APP_REGISTRATIONS, { fresh: true });
    let popup = await suite.popup();
    await prepare(popup);
    await registerAndWait(popup);
    const state = await world.state();
    assertFullSet(state);
    await waitSecrets(popup, 4);
    assert.match(await popup.evaluate(() => document.getElementById("secrets-count").textContent), /^4 client secrets are waiting to be stored/);

    let held = await holdings();
    assert.equal(held.waiting.length, 4);
    assert.equal(held.badge, "4");
    for (const s of held.waiting) {
      const app = state.applications.find((a) => a.appId === s.appId);
      assert.ok(app, `the secret of ${s.displayName} names its app's Application ID`);
      assert.equal(s.key, app.uniqueName);
      assert.match(s.displayName, /^LUCS /);
      assert.ok(Date.parse(s.endDateTime) > Date.now(), "with its expiry");
      assert.ok(s.secretText.length > 10);
      assert.ok(!held.local.includes(s.secretText), "storage.local never holds a secret's text");
    }
    assert.match(held.local, /unconfirmedSecrets/, "the kept run names the secrets handed over, by key ID");

    // The popup closing loses none.
    await popup.close();
    popup = await popupReady(await suite.popup());
    await waitSecrets(popup, 4);
    // Nor does the browser stopping the service worker.
    if (suite.name === "chromium") {
      await popup.close();
      await suite.stopWorker();
      popup = await popupReady(await suite.popup());
      await waitSecrets(popup, 4);
      assert.equal((await holdings()).badge, "4");
    }

    // The results page, opened from the popup, shows each secret with its app's name, Application ID, secret ID
    // and expiry.
    await click(popup, "#open-secrets");
    const results = await suite.nextPage((url) => url.includes("/results.html"));
    await waitFor(results, () => document.body.dataset.ready === "true", null, { what: "the results page" });
    await recordOutputs(results);
    await rowsOn(results, 4);
    const shown = await results.evaluate(() => [...document.querySelectorAll("#secrets tbody tr")].map((tr) => ({
      keyId: tr.dataset.keyId, cells: [...tr.cells].map((c) => c.querySelector("code")?.textContent ?? c.textContent) })));
    for (const row of shown) {
      const s = held.waiting.find((w) => w.keyId === row.keyId);
      assert.ok(s, row.keyId);
      assert.equal(row.cells[0], s.displayName);
      assert.equal(row.cells[1], s.appId);
      assert.equal(row.cells[2], s.keyId);
      assert.ok(row.cells[3].length > 0, "the expiry");
      assert.equal(row.cells[4], s.secretText);
    }
    await results.evaluate(() => (document.querySelector("#secrets tbody tr:first-child .secret-value button").id = "copy-first"));
    assert.equal(await copyWith(results, "#copy-first"), held.waiting.find((w) => w.keyId === shown[0].keyId).secretText);

    // Marked stored: it leaves the page, the popup's count and the badge.
    await click(results, "#secrets tbody tr:first-child td:last-child button");
    await rowsOn(results, 3);
    await waitSecrets(popup, 3);
    held = await holdings();
    assert.equal(held.badge, "3");
    assert.deepEqual(held.waiting.map((w) => w.keyId).sort(), shown.slice(1).map((r) => r.keyId).sort());

    // Copy all and the download hold the three left, and they stay until marked.
    const all = await copyWith(results, "#copy-all");
    for (const w of held.waiting) assert.ok(all.includes(w.secretText) && all.includes(w.appId));
    const csv = await downloadWith(results, "#download");
    assert.equal(csv.trimEnd().split("\r\n").length, 4, "a header and three secrets");
    assert.equal(await count(results, "#secrets tbody tr"), 3);

    // The browser closes: storage.session is gone, the kept run remembers which secrets were never confirmed.
    const page = await suite.extensionPage("options.html");
    await page.evaluate(() => (globalThis.browser ?? globalThis.chrome).storage.session.remove("secrets"));
    await page.close();
    await popup.close();
    popup = await popupReady(await suite.popup());
    await waitFor(popup, () => document.querySelectorAll("#secrets-lost li").length === 3, null, { what: "three lost secrets said" });
    const lost = await popup.evaluate(() => document.getElementById("secrets-lost").textContent);
    assert.match(lost, /was not confirmed stored and is no longer available: make a new one in the portal/);
    for (const w of held.waiting) assert.ok(lost.includes(w.displayName) && lost.includes(w.appId), w.displayName);
    assert.ok(!lost.includes(shown[0].keyId), "the one marked stored is not lost");
    // Made anew in the portal: the admin says so, and the sentence goes.
    await click(popup, "#secrets-lost li:first-child button");
    await waitFor(popup, () => document.querySelectorAll("#secrets-lost li").length === 2, null, { what: "one lost secret dealt with" });
    await results.close();
    await popup.close();
    await portal.close();
  });
});
