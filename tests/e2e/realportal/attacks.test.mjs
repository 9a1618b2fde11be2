// What a security review did to the release build in a hostile page, each done again here and refused:
// (a) a crafted link naming another app, (b) another tab's tenant and a run's unshown secrets or stopped journal,
// (c) page script relabelling the in-page controls, (d) a tenant confirmation that outlives a tenant switch,
// (e) a planted token; also a non-portal tab's token, forged messages, and the token's place in storage.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eachBrowser } from "./suite.mjs";
import {
  APP_REGISTRATIONS, WIDGET, appBlade, fromExtension, openConfirmation, assertFullSet, click, clickWidget, count,
  popupReady, prepare, set, text, visible, waitFor, waitStatus,
} from "./steps.mjs";

eachBrowser((suite) => {
  before(() => suite.start());
  after(() => suite.stop());

  const confirmation = (portal) => openConfirmation(suite, portal);

  async function applyIn(page, component) {
    await set(page, "#component", component);
    await set(page, "#confirm", true);
    await click(page, "#apply");
    await waitFor(page, () => /Done/.test(document.getElementById("run-status").textContent), null, { timeout: 60000, what: "the apply run" });
  }

  test(`${suite.name}: (a) a crafted link naming another app: the app on screen is the one shown, confirmed and changed`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const onScreen = await world.post("/sandbox/seed", { displayName: "Contoso FE (on screen)" });
    const other = await world.post("/sandbox/seed", { displayName: "Contoso payroll (not on screen)" });
    const portal = await suite.portal("portal", appBlade(onScreen.appId, "CallAnAPI"), { query: `?ref=appId/${other.appId}` });
    const page = await confirmation(portal);
    assert.equal(await text(page, "#app-id"), onScreen.appId);
    assert.equal(await text(page, "#app-name"), "Contoso FE (on screen)", "the name comes from Graph");
    await applyIn(page, "FE");
    const apps = (await world.state()).applications;
    assert.deepEqual(apps.find((a) => a.appId === other.appId).appRoleIds ?? [], [], "the other app is untouched");
    assert.ok(apps.find((a) => a.appId === onScreen.appId).appRoleIds.length > 0);
    // An appId in another blade's route is no app registration on screen: no box at all.
    await portal.evaluate((id) => (location.hash = `#view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/Overview/appId/${id}`), other.appId);
    await waitFor(portal, () => !document.querySelector("lucs-app-registrar"), null, { what: "the box to go" });
    await page.close();
    await portal.close();
  });

  test(`${suite.name}: (b) Apply and Copy Directory ID use the tenant of their own tab, not the last token from any tab`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", { seed: 101 });
    const { appId } = await world.post("/sandbox/seed", { displayName: "Contoso FE (by hand)" });
    const tenantA = (await world.state()).tenantId;
    // Tab A calls Graph once, then stays quiet; then the world moves to tenant B and tab B brings its tokens.
    const tabA = await suite.portal("portal", appBlade(appId), { query: "?poll=600000", fresh: true, signedIn: false });
    await suite.seenCalls(["registeredApps"], { minimum: 3 });
    await suite.knowsTenant(tenantA);
    await world.post("/sandbox/reset", { seed: 202 });
    const tenantB = (await world.state()).tenantId;
    assert.notEqual(tenantA, tenantB);
    const tabB = await suite.portal("entra", APP_REGISTRATIONS);
    const popup = await suite.popup();
    await waitFor(popup, (b) => [...document.querySelectorAll("#tenant-select option")].some((o) => o.value === b), tenantB, { what: "tenant B" });
    await popup.close();
    if (suite.readClipboard) {
      await suite.readClipboard(tabA);
      await clickWidget(tabA, WIDGET.copyTenantId);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(await suite.readClipboard(tabA), tenantA);
    }
    const page = await confirmation(tabA);
    assert.equal(await text(page, "#tenant-id"), tenantA);
    assert.ok(!(await page.evaluate(() => document.body.textContent)).includes(tenantB), "tenant B is nowhere");
    await page.close();
    await tabA.close();
    await tabB.close();
  });

  test(`${suite.name}: (b) Apply never drops a run's waiting secrets, nor silently a stopped run's journal`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const { appId } = await world.post("/sandbox/seed", { displayName: "Contoso FE (by hand)" });
    const portal = await suite.portal("portal", appBlade(appId));
    await world.post("/sandbox/faults", { replicationMs: 600 });
    try {
      // A run stopped halfway: its journal must stay resumable.
      let popup = await suite.popup();
      await prepare(popup);
      await click(popup, "#register");
      await waitStatus(popup, /Registering/);
      await click(popup, "#cancel");
      await waitStatus(popup, /Cancelled/);
      await popup.close();
      let page = await confirmation(portal);
      assert.equal(await visible(page, "#discard-row"), true);
      await set(page, "#confirm", true);
      assert.equal(await page.evaluate(() => document.getElementById("apply").disabled), true, "not without discarding on purpose");
      await page.close();
      // Resumed from its journal, it finishes with nothing twice; closed before the end, its secrets stay unshown.
      popup = await suite.popup();
      await prepare(popup);
      await click(popup, "#register");
      await waitStatus(popup, /Registering/);
      await popup.close();
      await suite.waitRun((run) => run?.status === "done");
      assertFullSet(await world.state(), 1);
      // The secrets wait in session storage until each is marked stored: an Apply no longer has to wait for them,
      // and leaves them where they are.
      page = await confirmation(portal);
      assert.doesNotMatch(await text(page, "#blockers"), /secret/);
      await set(page, "#component", "FE");
      await set(page, "#confirm", true);
      await click(page, "#apply");
      await waitFor(page, () => /Done/.test(document.getElementById("run-status").textContent), null, { timeout: 60000, what: "the apply run" });
      await page.close();
      popup = await popupReady(await suite.popup());
      await waitFor(popup, () => document.body.dataset.secrets === "4", null, { what: "the secrets, still waiting" });
      await popup.close();
    } finally {
      await world.post("/sandbox/faults", { replicationMs: 0 });
    }
    await portal.close();
  });

  test(`${suite.name}: (c) page script can neither reach nor relabel the box; the component is chosen in our own page`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const { appId } = await world.post("/sandbox/seed", { displayName: "Contoso CR (by hand)" });
    const portal = await suite.portal("portal", appBlade(appId, "CallAnAPI"));
    await waitFor(portal, () => Boolean(document.querySelector("lucs-app-registrar")), null, { what: "the box" });
    const reach = await portal.evaluate(() => {
      const host = document.querySelector("lucs-app-registrar");
      let reattached = false;
      try {
        host.attachShadow({ mode: "open" });
        reattached = true;
      } catch {
        // A host has one shadow root: the page cannot replace ours.
      }
      host.click();
      host.dispatchEvent(new MouseEvent("click", { bubbles: true, composed: true }));
      return { shadowRoot: host.shadowRoot, selects: document.querySelectorAll("select").length, reattached };
    });
    assert.deepEqual(reach, { shadowRoot: null, selects: 0, reattached: false });
    assert.equal(await suite.pageCount((url) => url.includes("/confirm.html")), 0, "script clicks open nothing");
    const page = await confirmation(portal);
    await set(page, "#component", "CR");
    const grants = await page.evaluate(() => [...document.querySelectorAll("#grants li")].map((li) => li.textContent.split(" ")[0]));
    const catalog = await page.evaluate(async () => (await (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: "state" })).result.catalog);
    assert.deepEqual(grants, catalog.components.find((c) => c.code === "CR").permissions.filter((p) => !p.optional).map((p) => p.value));
    await applyIn(page, "CR");
    const app = (await world.state()).applications.find((a) => a.appId === appId);
    const cr = catalog.components.find((c) => c.code === "CR").permissions.filter((p) => !p.optional);
    assert.deepEqual(app.requiredResourceAccess[0].resourceAccess.map((r) => r.id).sort(), cr.map((p) => p.id).sort(), "exactly what the confirmation showed");
    await page.close();
    await portal.close();
  });

  test(`${suite.name}: (d) the popup's tenant confirmation names the tenant id and resets on a tenant or plan change`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", { seed: 303 });
    const tenantA = (await world.state()).tenantId;
    const tab = await suite.portal("portal", APP_REGISTRATIONS, { fresh: true });
    await suite.knowsTenant(tenantA);
    await world.post("/sandbox/reset", { seed: 404 });
    const tenantB = (await world.state()).tenantId;
    await suite.knowsTenant(tenantB);
    const popup = await suite.popup();
    await waitFor(popup, () => document.querySelectorAll("#tenant-select option").length === 2, null, { what: "two tenants" });
    await prepare(popup, { tenantId: tenantB });
    assert.match(await text(popup, "#confirm-text"), new RegExp(tenantB), "the tenant id, not only its (Graph-controlled) name");
    await set(popup, "#tenant-select", tenantA);
    assert.equal(await popup.evaluate(() => document.getElementById("confirm").checked), false, "a tenant switch clears it");
    assert.equal(await popup.evaluate(() => document.getElementById("register").disabled), true);
    await prepare(popup, { tenantId: tenantB });
    await set(popup, "#n-CR", 3);
    assert.equal(await popup.evaluate(() => document.getElementById("confirm").checked), false, "a plan change clears it");
    // The background holds the line too: a confirmation for another tenant is no confirmation.
    const refused = await popup.evaluate(async ([a, b]) => {
      const api = globalThis.browser ?? globalThis.chrome;
      const choice = (await api.runtime.sendMessage({ type: "choose", request: { components: [{ code: "FE" }] } })).result.id;
      return api.runtime.sendMessage({ type: "register", tid: b, choice, confirmedTenant: a });
    }, [tenantA, tenantB]);
    assert.match(refused.error, /Confirm the tenant/);
    await popup.close();
    await tab.close();
  });

  test(`${suite.name}: (e) a token planted by page script never replaces the blade's, and is never used for a job`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const portal = await suite.portal("portal", APP_REGISTRATIONS);
    await suite.seenCalls(["registeredApps"]);
    const { tenantId } = await world.state();
    world.clearGraphCalls();
    // Same tenant, same client, every scope, a later expiry: everything that would make a naive store prefer it.
    const planted = await portal.evaluate(async ([tid, appid]) => {
      const b64 = (o) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
      const token = `${b64({ typ: "JWT", alg: "none" })}.${b64({ aud: "https://graph.microsoft.com", tid, appid, upn: "attacker@contoso.example",
        scp: "Application.ReadWrite.All AppRoleAssignment.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All User.Read", exp: Math.floor(Date.now() / 1000) + 86400 })}.`;
      for (const path of ["/v1.0/me", "/beta/applications", "/v1.0/$batch"]) {
        await fetch(`https://graph.microsoft.com${path}`, { method: path.endsWith("batch") ? "POST" : "GET", headers: { Authorization: `Bearer ${token}` } }).catch(() => {});
      }
      return token;
    }, [tenantId, world.clients.registeredApps.appId]);
    const popup = await suite.popup();
    await waitFor(popup, () => /App registrations/.test(document.getElementById("session").textContent), null, { what: "the real session" });
    assert.doesNotMatch(await text(popup, "#tenant-select"), /attacker/);
    await prepare(popup);
    const refused = world.graphCalls().filter((c) => fromExtension(c) && c.status === 401);
    assert.ok(refused.length > 0, "the planted token was checked");
    assert.ok(refused.every((c) => c.method === "GET" && c.path.startsWith("/v1.0/me?")), `only that check was refused: ${JSON.stringify(refused)}`);
    world.clearGraphCalls();
    await click(popup, "#register");
    await waitStatus(popup, /^Done/);
    assertFullSet(await world.state());
    const run = world.graphCalls().filter((c) => fromExtension(c) && !c.path.startsWith("/v1.0/me?"));
    assert.ok(run.length > 0 && run.every((c) => c.appid === world.clients.registeredApps.appId && c.status !== 401), "the whole run with the blade's token");
    const stored = await popup.evaluate(async () =>
      JSON.stringify(await (globalThis.browser ?? globalThis.chrome).storage.session.get(null)));
    assert.ok(!stored.includes(planted), "the planted token is not kept");
    await popup.close();
    await portal.close();
  });

  test(`${suite.name}: a token from a tab that is not the portal is never taken, even from a portal blade it frames`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const intranet = await suite.page(world.url("intranet", "/?embed=registeredapps.hosting.portal.azure.net&route=Microsoft_AAD_RegisteredApps/ApplicationsListBlade"), { fresh: true });
    await suite.seenCalls(["registeredApps"], { origins: ["https://www.contoso-intranet.example", "https://registeredapps.hosting.portal.azure.net"] });
    const popup = await suite.popup();
    assert.equal(await visible(popup, "#no-token"), true);
    assert.equal(await count(popup, "#tenant-select option"), 0);
    const stored = await popup.evaluate(async () => (await (globalThis.browser ?? globalThis.chrome).storage.session.get("tokens")).tokens ?? []);
    assert.deepEqual(stored, []);
    await popup.close();
    await intranet.close();
  });

  test(`${suite.name}: the token never reaches storage.local or any answer, and forged or foreign messages are refused`, async () => {
    const portal = await suite.portal("portal", APP_REGISTRATIONS);
    await suite.seenCalls(["registeredApps"]);
    const popup = await suite.popup();
    await waitFor(popup, () => !document.getElementById("tenant-info").hidden, null, { what: "a tenant" });
    const found = await popup.evaluate(async () => {
      const api = globalThis.browser ?? globalThis.chrome;
      const tokens = ((await api.storage.session.get("tokens")).tokens ?? []).map((e) => e.token);
      const local = JSON.stringify(await api.storage.local.get(null));
      const answers = JSON.stringify(await api.runtime.sendMessage({ type: "state" }));
      const refused = [
        await api.runtime.sendMessage({ type: "register", tid: 1 }),
        await api.runtime.sendMessage({ type: "portalIds", appId: "x" }),
        await api.runtime.sendMessage({ type: "portalApply", appId: "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b" }),
        await api.runtime.sendMessage({ type: "dumpTokens" }),
        await api.runtime.sendMessage("state"),
      ].map((r) => r.error);
      return { tokens: tokens.length, inLocal: tokens.some((t) => local.includes(t)), inAnswer: tokens.some((t) => answers.includes(t)) || answers.includes("eyJ"), refused };
    });
    assert.ok(found.tokens > 0);
    assert.equal(found.inLocal, false);
    assert.equal(found.inAnswer, false);
    assert.deepEqual(found.refused, ["refused", "refused", "refused", "refused", "refused"]);
    await popup.close();
    await portal.close();
  });
});
