// The popup as an admin follows a run: what the plan grants is listed and counted before Register; on Register the
// choices fold away and progress takes focus, per app, with "n of 10"; a summary at Done, and Register only after a
// new check; a second run over the same tenant says "Nothing to change"; rollback lists what it will delete before
// it deletes, then reports; the IDs are one Copy each, the Directory ID once, and the page never scrolls sideways.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eachBrowser } from "./suite.mjs";
import { APP_REGISTRATIONS, FULL_SET, assertFullSet, click, copyWith, count, prepare, preview, registerAndWait, send, set, text, visible, waitFor, waitStatus } from "./steps.mjs";

/** What the full set grants, counted from the catalog (not from the plan the popup shows): apps, distinct
 *  permissions consented to for all users, and secrets (components with an application permission get one). */
async function expectedCounts(popup) {
  const { catalog } = (await send(popup, { type: "state" })).result;
  let apps = 0;
  let secrets = 0;
  const permissions = new Set();
  for (const c of catalog.components) {
    const instances = FULL_SET[c.code] ?? 1;
    const required = c.permissions.filter((p) => !p.optional);
    apps += instances;
    for (const p of required) permissions.add(`${p.resourceAppId} ${p.kind} ${p.value}`);
    if (required.some((p) => p.kind === "application")) secrets += instances;
  }
  return { apps, permissions: permissions.size, secrets };
}

const noSideways = (popup) => popup.evaluate(() => {
  const s = document.scrollingElement;
  return { scrollWidth: s.scrollWidth, clientWidth: s.clientWidth };
});

eachBrowser((suite) => {
  before(() => suite.start());
  after(() => suite.stop());

  test(`${suite.name}: the grants and their count before Register, a run followed per app, Register only after a new check, then "Nothing to change"`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const portal = await suite.portal("portal", APP_REGISTRATIONS, { fresh: true });
    const popup = await suite.popup();
    await preview(popup);
    const { tenantId } = await world.state();

    // Before anything is written: each app's permissions, consent and secret, and the count the admin confirms.
    const want = await expectedCounts(popup);
    assert.deepEqual(want, { apps: 10, permissions: 10, secrets: 4 }, "the full set as the catalog has it");
    const phrase = `${want.apps} apps, admin consent for ${want.permissions} permissions for all users, ${want.secrets} secrets valid 12 months`;
    assert.equal(await text(popup, "#grants-summary"), `What will be granted: ${phrase}`);
    assert.equal(await count(popup, "#grants details.grant"), 10);
    const cr = await text(popup, '#grants details[data-key="lucs-cr-1"]');
    for (const name of ["Mail.Send", "Mail.ReadWrite", "Files.ReadWrite.All", "consent for all users", "no secret", "Files.ReadWrite.All lets the app read, change and delete"]) {
      assert.ok(cr.includes(name), `the Conversation Recording app shows ${name}: ${cr}`);
    }
    const cic = await popup.evaluate(() => {
      const d = document.querySelector('#grants details[data-key="lucs-cic"]');
      return { application: d.querySelectorAll("dd")[1].textContent, secret: d.querySelectorAll("dd")[3].textContent };
    });
    assert.deepEqual(cic, { application: "User.Read.All", secret: "secret valid 12 months" });
    const confirmText = await text(popup, "#confirm-text");
    assert.ok(confirmText.endsWith(`tenant ID ${tenantId}: ${phrase}`), confirmText);

    // The run: slowed by replication, so it is seen going.
    await world.post("/sandbox/faults", { replicationMs: 1500 });
    try {
      await set(popup, "#confirm", true);
      await popup.evaluate(() => (document.getElementById("run-status").textContent = ""));
      await click(popup, "#register");
      await waitStatus(popup, /^Registering/);
      const going = await waitFor(popup, () => {
        const rows = document.querySelectorAll("#run-table tbody tr");
        const busy = document.querySelectorAll("#run-table td.running, #run-table td.retrying").length;
        return rows.length === 10 && busy > 0 && /^Registering/.test(document.getElementById("run-status").textContent) && {
          folded: getComputedStyle(document.getElementById("picker")).display === "none" && getComputedStyle(document.getElementById("preview")).display === "none",
          focus: document.activeElement?.id,
          count: document.getElementById("run-count").textContent,
        };
      }, null, { what: "per-app progress while the run goes" });
      assert.equal(going.folded, true, "the choices fold away");
      assert.equal(going.focus, "progress-h", "progress takes focus");
      assert.match(going.count, /^\d+ of 10 apps done$/);
      await waitStatus(popup, /^Done/);
    } finally {
      await world.post("/sandbox/faults", { replicationMs: 0 });
    }
    assertFullSet(await world.state());
    assert.equal(await text(popup, "#run-count"), "10 of 10 apps done");
    assert.equal(await count(popup, "#run-table td.failed, #run-table td.running, #run-table td.waiting"), 0);
    assert.match(await text(popup, "#run-summary"), /^10 apps ready: 10 created, 0 already there; admin consent granted for 10 apps; 4 client secrets made/);
    // The log is under Details, newest first, in words.
    assert.equal(await text(popup, "#log-h"), "Details");
    assert.equal(await text(popup, "#progress li:first-child"), "finished: started");
    assert.match(await text(popup, "#progress li:last-child"), /^discovery: started$/);
    // At Done the tick is gone and Register waits for a new check; the preview says what is there now.
    assert.equal(await popup.evaluate(() => document.getElementById("register").disabled), true);
    assert.equal(await popup.evaluate(() => document.getElementById("confirm").checked), false);
    assert.match(await text(popup, "#drift-note .now"), /^Now in the tenant: 10 apps \(10 created, 0 already there\)/);

    // A second run over the same tenant: the check and the run both say there is nothing to change.
    await click(popup, "#form-toggle");
    await click(popup, "#check");
    await waitFor(popup, () => Boolean(document.querySelector("#drift-note .nothing")), null, { what: "the check saying nothing changes" });
    assert.equal(await text(popup, "#drift-note .nothing"), "Nothing to change: every app is already as planned.");
    assert.equal(await count(popup, "#drift li.ok"), 10);
    // The apps exist and keep their credentials: the confirmation counts no secret.
    assert.ok((await text(popup, "#confirm-text")).endsWith(`: ${want.apps} apps, admin consent for ${want.permissions} permissions for all users, no client secret`));
    await set(popup, "#confirm", true);
    await registerAndWait(popup);
    assert.equal(await text(popup, "#run-summary"), "Nothing to change: every app was already as planned, and nothing was created or granted.");
    assertFullSet(await world.state());
    await popup.close();
    await portal.close();
  });

  test(`${suite.name}: rollback lists what it deletes for good before it does, disarms on its own, then reports and marks the deleted rows`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const portal = await suite.portal("portal", APP_REGISTRATIONS);
    const popup = await suite.popup();
    await prepare(popup);
    await registerAndWait(popup);
    await click(popup, "#rollback");
    const listed = await waitFor(popup, () => !document.getElementById("rollback-box").hidden && document.getElementById("rollback-box").textContent, null, { what: "the rollback list" });
    assert.match(listed, /Deleted permanently, with no restore from deleted items — 10 app\(s\):/);
    assert.equal(await count(popup, "#rollback-box .rollback-plan li"), 10);
    assert.match(listed, /LUCS Frontend of the Web Application \(lucs-fe\): the app registration, its service principal/);
    assert.match(await text(popup, "#rollback"), /Click again/);
    assert.equal((await world.state()).applications.length, 10, "nothing deleted on the first click");
    // Left alone, it disarms: the next click lists again instead of deleting.
    await waitFor(popup, () => document.getElementById("rollback-box").hidden && document.getElementById("rollback").textContent === "Roll back this run", null, { timeout: 15000, what: "the rollback to disarm" });
    await click(popup, "#rollback");
    await waitFor(popup, () => !document.getElementById("rollback-box").hidden, null, { what: "the list again" });
    assert.equal((await world.state()).applications.length, 10);
    await click(popup, "#rollback");
    await waitFor(popup, () => /^Rolled back: 10 deleted, 0 failed, 0 kept/.test(document.getElementById("rollback-box").textContent), null, { what: "the rollback report" });
    assert.equal((await world.state()).applications.length, 0);
    await waitFor(popup, () => document.querySelectorAll("#results tbody tr.deleted").length === 10, null, { what: "deleted rows marked" });
    assert.equal(await popup.evaluate(() => document.getElementById("rollback").disabled), true, "not offered again");
    // A failed part says so (the report as the page draws it from a rollback that could not purge one app).
    const incomplete = await popup.evaluate(async () => {
      const { rollbackReport } = await import("./popup/rollback.js");
      return rollbackReport({ deleted: ["application lucs-cr-1"], failed: ["application lucs-fe: still present after 5 requests; run rollback again"], kept: [], changed: [], refused: [] }).textContent;
    });
    assert.match(incomplete, /^Rollback incomplete: 1 deleted, 1 failed, 0 kept/);
    await popup.close();
    await portal.close();
  });

  test(`${suite.name}: one Copy per app and one for the Directory ID, no sideways scroll from 440 to 800 px`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const portal = await suite.portal("portal", APP_REGISTRATIONS);
    const popup = await suite.popup();
    for (const [width, height] of [[440, 600], [800, 600]]) {
      await suite.resize(popup, width, height);
      await preview(popup);
      const before = await noSideways(popup);
      assert.ok(before.scrollWidth <= before.clientWidth, `${width} px before Register: ${JSON.stringify(before)}`);
      if (width === 440) {
        await set(popup, "#confirm", true);
        await registerAndWait(popup);
        await click(popup, "#form-toggle");
      }
      // Open every fold, so what is inside is measured too.
      await popup.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
      const after = await noSideways(popup);
      assert.ok(after.scrollWidth <= after.clientWidth, `${width} px with the results: ${JSON.stringify(after)}`);
    }
    const state = await world.state();
    assert.equal(await count(popup, "#results tbody tr"), 10);
    assert.equal(await count(popup, "#results button"), 10, "one Copy per app");
    assert.equal(await count(popup, "#tenant-id button"), 1, "the Directory ID once");
    assert.equal(await count(popup, "#results-section button.copy"), 11);
    // The Application ID is drawn on one line.
    assert.equal(await popup.evaluate(() => [...document.querySelectorAll("#results code.guid")].every((c) => c.getClientRects().length === 1 && c.getBoundingClientRect().height < 20)), true);
    assert.equal(await copyWith(popup, "#tenant-id button"), state.tenantId);
    const fe = state.applications.find((a) => a.uniqueName === "lucs-fe");
    await popup.evaluate(() => (document.querySelector('#results tr[data-key="lucs-fe"] button').id = "copy-fe"));
    assert.equal(await copyWith(popup, "#copy-fe"), fe.appId);
    // Its name holds what it shows, also while it says "Copied".
    const named = await popup.evaluate(() => {
      const b = document.getElementById("copy-fe");
      return { text: b.textContent, label: b.getAttribute("aria-label") };
    });
    assert.equal(named.text, "Copied");
    assert.equal(named.label, "Copied – Application (client) ID: LUCS Frontend of the Web Application");
    assert.equal(await visible(popup, "#object-ids"), true);
    assert.match(await text(popup, "#object-ids-list"), new RegExp(fe.objectId));
    await popup.close();
    await portal.close();
  });
});
