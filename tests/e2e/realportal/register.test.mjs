// The release build, as users install it, registers the full LUCS set from its popup in the portal on its real host
// names: the token that can write comes from the App registrations blade's frame, lower-scoped tokens from the
// shell and the Entra blades keep arriving after it. Every test sets up its own sandbox state.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eachBrowser } from "./suite.mjs";
import {
  APP_REGISTRATIONS, ENTRA_OVERVIEW, assertFullSet, fromExtension, click, copyWith, count, downloadWith, popupReady,
  prepare, registerAndWait, set, text, visible, waitFor, waitStatus,
} from "./steps.mjs";

eachBrowser((suite) => {
  before(() => suite.start());
  after(() => suite.stop());

  for (const shell of ["portal", "entra"]) {
    test(`${suite.name}: on ${shell === "portal" ? "portal.azure.com" : "entra.microsoft.com"} the popup registers the full set with the App registrations blade's token`, async () => {
      const { world } = suite;
      await world.post("/sandbox/reset", {});
      world.clearGraphCalls();
      const portal = await suite.portal(shell, APP_REGISTRATIONS, { fresh: true });
      // The lower-scoped tokens of the shell and the Entra blades come after the writable one, again and again.
      await suite.seenCalls(["registeredApps", "iam", "shell"], { after: "registeredApps" });
      const popup = await suite.popup();
      await waitFor(popup, () => /App registrations/.test(document.getElementById("session").textContent), null, { what: "the session in use" });
      assert.match(await text(popup, "#session"), /register/);
      assert.equal(await visible(popup, "#no-register"), false);
      await prepare(popup);
      assert.equal(await count(popup, "#drift li.create"), 10);
      world.clearGraphCalls();
      await registerAndWait(popup);
      // Which token did the run's work: the App registrations blade's, on every call (new tokens' checks aside).
      const run = world.graphCalls().filter((c) => fromExtension(c) && !c.path.startsWith("/v1.0/me?$select=id"));
      assert.ok(run.some((c) => c.method !== "GET"));
      assert.deepEqual([...new Set(run.map((c) => c.appid))], [world.clients.registeredApps.appId]);
      const state = await world.state();
      assertFullSet(state);
      assert.equal(await count(popup, "#results tbody tr"), 10);
      // Every ID is one click from the clipboard; the CSV holds them all; the report holds no secret, no token.
      const fe = state.applications.find((a) => a.uniqueName === "lucs-fe");
      await popup.evaluate(() => (document.querySelector('#results tbody tr[data-key="lucs-fe"] td.id button').id = "copy-fe"));
      assert.equal(await copyWith(popup, "#copy-fe"), fe.appId);
      await waitFor(popup, () => /^4 client secrets are waiting/.test(document.getElementById("secrets-count").textContent), null, { what: "the secrets, waiting" });
      assert.match(await copyWith(popup, "#copy-csv"), new RegExp(`FE,,LUCS Frontend of the Web Application,${fe.appId},${state.tenantId},${fe.objectId}`));
      const report = await downloadWith(popup, "#download");
      assert.equal(JSON.parse(report).applications.length, 10);
      assert.ok(!report.includes("secretText") && !report.includes("eyJ"), "the report has no secret and no token");
      await popup.close();
      const again = await popupReady(await suite.popup());
      assert.equal(await again.evaluate(() => document.body.dataset.secrets), "4", "still waiting: the popup closing loses none");
      assert.equal(await count(again, "#results tbody tr"), 10, "results survive the popup closing");
      await again.close();
      await portal.close();
    });
  }

  test(`${suite.name}: with only lower-scoped tokens the popup says so and "Open App registrations" takes the tab there and goes on`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const portal = await suite.portal("portal", ENTRA_OVERVIEW, { fresh: true });
    await suite.seenCalls(["iam", "shell"]);
    const popup = await suite.popup();
    await waitFor(popup, () => !document.getElementById("no-register").hidden, null, { what: "the no-write-token notice" });
    assert.equal(await popup.evaluate(() => document.getElementById("register").disabled), true);
    // A 403 must never be blamed on the user's role when the token's scopes are missing.
    assert.doesNotMatch(await text(popup, "#blockers"), /role/i);
    await click(popup, "#open-appregs");
    await waitFor(portal, () => document.body.dataset.route?.includes("Microsoft_AAD_RegisteredApps/ApplicationsListBlade"), null, { what: "the tab at App registrations" });
    const reopened = await suite.popup();
    await waitFor(reopened, () => document.getElementById("no-register").hidden && /App registrations/.test(document.getElementById("session").textContent), null, { what: "the App registrations token" });
    await prepare(reopened);
    await registerAndWait(reopened);
    assertFullSet(await world.state());
    await reopened.close();
    await popup.close().catch(() => {});
    await portal.close();
  });

  test(`${suite.name}: rollback deletes exactly what the run created; registering again creates the set anew`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const { appId } = await world.post("/sandbox/seed", { displayName: "Someone else's app" });
    const portal = await suite.portal("portal", APP_REGISTRATIONS);
    const popup = await suite.popup();
    await prepare(popup);
    await registerAndWait(popup);
    await click(popup, "#rollback");
    assert.match(await text(popup, "#rollback"), /again/, "asks for a second click");
    await click(popup, "#rollback");
    await waitFor(popup, () => /^Rolled back: 10 deleted, 0 failed, 0 kept/.test(document.getElementById("rollback-box").textContent), null, { what: "the rollback" });
    assert.deepEqual((await world.state()).applications.map((a) => a.appId), [appId], "only the other app is left");
    await popup.close();
    // The rolled-back run's journal names apps that are gone: a new Register must not resume it.
    const again = await suite.popup();
    await prepare(again);
    assert.equal(await count(again, "#drift li.create"), 10);
    await registerAndWait(again);
    assertFullSet(await world.state(), 1);
    await again.close();
    await portal.close();
  });

  test(`${suite.name}: a token Graph stops accepting mid-run pauses the run until the blade brings a fresh one`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    // Replication keeps the run going long enough for the revocation to land mid-run, also on a loaded machine.
    await world.post("/sandbox/faults", { replicationMs: 2000 });
    world.clearGraphCalls();
    // The blade fetches a fresh token every 4 s here: once Graph stops accepting the one in hand, the run's next
    // request meets the refusal before a fresh one can replace it, however fast the machine.
    const portal = await suite.portal("portal", APP_REGISTRATIONS, { query: "?poll=4000" });
    const popup = await suite.popup();
    try {
      await prepare(popup);
      // The run reads the tenant itself rather than starting from the preview's check: the revocation is timed
      // for a run with its discovery round trip.
      await popup.evaluate(() => (globalThis.browser ?? globalThis.chrome).storage.session.remove("check"));
      await click(popup, "#register");
      await waitStatus(popup, /Registering/);
      world.revoke("registeredApps");
      await waitStatus(popup, /^Done/);
    } finally {
      await world.post("/sandbox/faults", { replicationMs: 0 });
    }
    const calls = world.graphCalls().filter(fromExtension);
    assert.ok(calls.some((c) => c.status === 401), "Graph refused the old token");
    assertFullSet(await world.state());
    await popup.close();
    await portal.close();
  });

  test(`${suite.name}: the options page's token fallback still works`, async () => {
    const { world } = suite;
    const options = await suite.extensionPage("options.html");
    await waitFor(options, () => document.body.dataset.ready === "true", null, { what: "the options page" });
    await set(options, "#token", await world.mint("registeredApps"));
    await click(options, "#use-token");
    await waitFor(options, () => /Token accepted|Token übernommen/.test(document.getElementById("status").textContent), null, { what: "the pasted token" });
    await set(options, "#token", "eyJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.");
    await click(options, "#use-token");
    await waitFor(options, () => /Not a usable token/.test(document.getElementById("status").textContent), null, { what: "a refused token" });
    await options.close();
  });
});
