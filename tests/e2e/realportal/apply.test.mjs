// From the App registrations blade of an app registered by hand: copy its IDs, and apply a LUCS component's
// permissions and consent onto it, decided in the extension's own confirmation page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eachBrowser } from "./suite.mjs";
import { WIDGET, appBlade, click, clickWidget, foldWidget, openConfirmation, set, text, unfoldWidget, waitFor, widgetHeight } from "./steps.mjs";

async function until(ok, what, timeout = 10000) {
  const end = Date.now() + timeout;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

eachBrowser((suite) => {
  before(() => suite.start());
  after(() => suite.stop());

  test(`${suite.name}: the Apply button on an app's blade applies a component's permissions and consent onto it`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const { appId } = await world.post("/sandbox/seed", { displayName: "Contoso FE (by hand)" });
    const { tenantId } = await world.state();
    const portal = await suite.portal("portal", appBlade(appId, "CallAnAPI"));
    const page = await openConfirmation(suite, portal);
    assert.equal(await text(page, "#app-name"), "Contoso FE (by hand)");
    assert.equal(await text(page, "#tenant-id"), tenantId);
    assert.match(await text(page, "#tenant-name"), /Contoso/);
    assert.match(await text(page, "#confirm-text"), new RegExp(tenantId));
    // Nothing is chosen for the admin, and there is nothing to confirm before a choice; Cancel is no danger.
    assert.equal(await page.evaluate(() => document.getElementById("component").value), "");
    assert.equal(await page.evaluate(() => document.getElementById("confirm").disabled), true, "no confirmation before a component is chosen");
    assert.equal(await page.evaluate(() => document.getElementById("close").classList.contains("danger")), false, "Cancel is not red");
    await set(page, "#component", "FE");
    await waitFor(page, () => !document.getElementById("confirm").disabled, null, { what: "the confirmation, once a component is chosen" });
    assert.equal(await page.evaluate(() => document.getElementById("apply").disabled), true, "not before confirming");
    await set(page, "#confirm", true);
    await click(page, "#apply");
    await waitFor(page, () => /Done/.test(document.getElementById("run-status").textContent), null, { timeout: 60000, what: "the apply run" });
    // The result says what was granted, to which app, and closes with a button of its own.
    await waitFor(page, () => !document.getElementById("result").hidden, null, { what: "the result" });
    assert.match(await text(page, "#granted-intro"), /Contoso FE \(by hand\).*admin consent/);
    assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll("#granted li")].map((li) => li.textContent)), ["User.Read.All (application)"]);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "done-close");
    const state = await world.state();
    assert.equal(state.applications.length, 1, "nothing new registered");
    const app = state.applications[0];
    assert.equal(app.displayName, "Contoso FE (by hand)");
    assert.deepEqual(app.appRoleIds, ["df021288-bdef-4463-88db-98f22de89214"]);
    assert.equal(app.requiredResourceAccess[0].resourceAccess[0].type, "Role");
    await page.close();
    await portal.close();
  });

  test(`${suite.name}: on an app's blade the box copies the Application ID and the tab's Directory ID`, { skip: !suite.readClipboard && "this browser's driver cannot read the clipboard" }, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const { appId } = await world.post("/sandbox/seed", { displayName: "Contoso CI (by hand)" });
    const portal = await suite.portal("entra", appBlade(appId));
    await suite.seenCalls(["registeredApps"]);
    await clickWidget(portal, WIDGET.copyAppId);
    await until(async () => (await suite.readClipboard(portal)) === appId, "the app id copied");
    await clickWidget(portal, WIDGET.copyTenantId);
    const { tenantId } = await world.state();
    await until(async () => (await suite.readClipboard(portal)) === tenantId, "the tenant id copied");
    await portal.close();
  });

  test(`${suite.name}: the box folds away and stays folded on the next page until it is unfolded`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const { appId } = await world.post("/sandbox/seed", { displayName: "Contoso CI (by hand)" });
    const portal = await suite.portal("portal", appBlade(appId));
    const open = await widgetHeight(portal);
    assert.ok(open > 100, `the box open: ${open}px`);
    await foldWidget(portal);
    await waitFor(portal, () => (document.querySelector("lucs-app-registrar")?.getBoundingClientRect().height ?? 0) < 50, null, { what: "the box folded" });
    await portal.close();
    // Another portal page (the flag is the browser's, not the tab's): folded from the start.
    const again = await suite.portal("entra", appBlade(appId));
    assert.ok((await widgetHeight(again)) < 50, "still folded");
    await unfoldWidget(again);
    await waitFor(again, () => (document.querySelector("lucs-app-registrar")?.getBoundingClientRect().height ?? 0) > 100, null, { what: "the box unfolded" });
    await again.close();
    const third = await suite.portal("portal", appBlade(appId));
    assert.ok((await widgetHeight(third)) > 100, "unfolded is remembered too");
    await third.close();
  });
});
