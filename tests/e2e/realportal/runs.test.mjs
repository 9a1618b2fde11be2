// Runs, one at a time, and what is kept of them: an Apply and a Register confirmed in the same moment never share a
// run (one starts, the other is refused and says why); the last runs' journals are kept, listed in the popup with
// their date, tenant and app count, and each can still be rolled back after the next Register or Apply.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eachBrowser } from "./suite.mjs";
import { appBlade, assertFullSet, click, count, openConfirmation, prepare, popupReady, registerAndWait, send, set, text, waitFor } from "./steps.mjs";

eachBrowser((suite) => {
  before(() => suite.start());
  after(() => suite.stop());

  test(`${suite.name}: an Apply and a Register confirmed in the same moment: one runs, the other is refused`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const mine = await world.post("/sandbox/seed", { displayName: "Contoso FE (by hand)" });
    const portal = await suite.portal("portal", appBlade(mine.appId));
    const popup = await suite.popup();
    await prepare(popup);
    const page = await openConfirmation(suite, portal);
    await set(page, "#component", "FE");
    await set(page, "#confirm", true);
    await waitFor(page, () => !document.getElementById("apply").disabled, null, { what: "Apply to be enabled" });
    const request = await page.evaluate(() => new URLSearchParams(location.search).get("request"));
    const { tenantId } = await world.state();
    // Both decisions reach the background in one go, as two windows' clicks can.
    const answers = await popup.evaluate(async ([request, tid]) => {
      const api = globalThis.browser ?? globalThis.chrome;
      const choice = (await api.runtime.sendMessage({ type: "choose", request: { components: [{ code: "FE" }] } })).result.id;
      return Promise.all([
        api.runtime.sendMessage({ type: "register", tid, choice, confirmedTenant: tid }),
        api.runtime.sendMessage({ type: "applyConfirm", request, component: "FE", confirmedTenant: tid, discardStopped: false }),
      ]);
    }, [request, tenantId]);
    const started = answers.filter((a) => a.result?.started);
    const refused = answers.filter((a) => a.error);
    assert.equal(started.length, 1, JSON.stringify(answers));
    assert.equal(refused.length, 1, JSON.stringify(answers));
    assert.match(refused[0].error, /^Another run is starting or going \((register|apply to an app)\): wait until it has ended, then try again\.$/);
    const winner = answers[0].result?.started ? "register" : "apply";
    const run = await suite.waitRun((r) => r?.status === "done" || r?.status === "stopped");
    assert.equal(run.status, "done", run.error);
    assert.equal(run.job, winner, "the run record is the started run's alone");
    const apps = (await world.state()).applications;
    const byHand = apps.find((a) => a.appId === mine.appId);
    if (winner === "register") {
      assert.deepEqual(apps.map((a) => a.uniqueName ?? "(by hand)").sort(), ["(by hand)", "lucs-fe"]);
      assert.deepEqual(byHand.appRoleIds ?? [], [], "the refused Apply changed nothing");
    } else {
      assert.equal(apps.length, 1, "the refused Register created nothing");
      assert.ok(byHand.appRoleIds.length > 0);
    }
    await page.close();
    await popup.close();
    await portal.close();
  });

  test(`${suite.name}: each run's journal is kept and listed; an earlier run is still rolled back after the next Apply`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const mine = await world.post("/sandbox/seed", { displayName: "Contoso FE (by hand)" });
    const { tenantId } = await world.state();
    const portal = await suite.portal("portal", appBlade(mine.appId), { fresh: true });
    let popup = await suite.popup();
    await prepare(popup);
    await registerAndWait(popup);
    await waitFor(popup, () => document.body.dataset.secrets === "4", null, { what: "the secrets, waiting" });
    await popup.close();
    // The next run is an Apply: it used to drop the Register's journal, and with it the way back.
    const page = await openConfirmation(suite, portal);
    await set(page, "#component", "FE");
    await set(page, "#confirm", true);
    await click(page, "#apply");
    await waitFor(page, () => /Done/.test(document.getElementById("run-status").textContent), null, { timeout: 60000, what: "the apply run" });
    await page.close();

    popup = await popupReady(await suite.popup());
    await waitFor(popup, () => document.querySelectorAll("#runs > li").length === 2, null, { what: "two kept runs" });
    const rows = await popup.evaluate(() => [...document.querySelectorAll("#runs > li")].map((li) => ({ text: li.textContent, button: Boolean(li.querySelector("button")) })));
    assert.match(rows[0].text, new RegExp(`· apply to an app · tenant ${tenantId} · 1 app\\(s\\) · done`));
    assert.match(rows[1].text, new RegExp(`· register · tenant ${tenantId} · 10 app\\(s\\) · done`));
    assert.ok(rows.every((r) => r.button), "each can be rolled back");
    // Kept on this computer, holding neither a secret nor a token.
    const local = await popup.evaluate(async () =>
      JSON.stringify(await (globalThis.browser ?? globalThis.chrome).storage.local.get(null)));
    assert.ok(!/secretText|eyJ/.test(local), "no secret, no token in storage.local");

    await click(popup, "#runs > li:nth-child(2) button");
    assert.match(await text(popup, "#runs > li:nth-child(2) button"), /Click again/);
    await click(popup, "#runs > li:nth-child(2) button");
    await waitFor(popup, () => /rolled back/.test(document.querySelector("#runs > li:nth-child(2)")?.textContent ?? ""), null, { what: "the register run rolled back" });
    const apps = (await world.state()).applications;
    assert.deepEqual(apps.map((a) => a.appId), [mine.appId], "only the hand-made app is left");
    assert.ok(apps[0].appRoleIds.length > 0, "and the Apply, not rolled back, stays on it");
    assert.equal(await count(popup, "#runs > li:nth-child(2) button"), 0, "a rolled-back run is not offered again");
    // A rolled-back run vouches for nothing any more: registering again creates the set anew.
    await prepare(popup);
    assert.equal(await count(popup, "#drift > li.create"), 10);
    await registerAndWait(popup);
    assertFullSet(await world.state(), 1);
    await popup.close();
    await portal.close();
  });

  test(`${suite.name}: at most the last five runs are kept; a rollback while a run goes is refused`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const portal = await suite.portal("portal", "#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade");
    const popup = await suite.popup();
    const { tenantId } = await world.state();
    await waitFor(popup, () => !document.getElementById("tenant-info").hidden, null, { what: "a tenant" });
    // Six one-app runs under six prefixes, each its own run; the last one slowed by replication, to be caught going.
    for (let i = 1; i <= 6; i++) {
      if (i === 6) await world.post("/sandbox/faults", { replicationMs: 1500 });
      const answer = await popup.evaluate(async ([tid, prefix]) => {
        const api = globalThis.browser ?? globalThis.chrome;
        const choice = (await api.runtime.sendMessage({ type: "choose", request: { prefix, components: [{ code: "AC" }] } })).result.id;
        return api.runtime.sendMessage({ type: "register", tid, choice, confirmedTenant: tid });
      }, [tenantId, `P${i}`]);
      assert.equal(answer.result?.started, true, JSON.stringify(answer));
      if (i === 6) {
        const refused = await send(popup, { type: "rollback", id: (await popup.evaluate(async () => (await (globalThis.browser ?? globalThis.chrome).storage.session.get("run")).run.id)) });
        assert.match(refused.error ?? "", /^Another run is starting or going \(register\)/);
      }
      await suite.waitRun((r) => r?.status === "done");
    }
    await world.post("/sandbox/faults", { replicationMs: 0 });
    await waitFor(popup, () => document.querySelectorAll("#runs > li").length === 5, null, { what: "five kept runs" });
    const kept = await popup.evaluate(async () => (await (globalThis.browser ?? globalThis.chrome).storage.local.get("journals")).journals);
    assert.deepEqual(kept.map((e) => e.journal.apps[0].key), ["p6-ac", "p5-ac", "p4-ac", "p3-ac", "p2-ac"], "newest first, the oldest dropped");
    await popup.close();
    await portal.close();
  });
});
