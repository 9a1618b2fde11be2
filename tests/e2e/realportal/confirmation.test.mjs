// Apply's confirmation window against what a tenant member or a page can do to it: a look-alike app (any member may
// register an app under any display name), a portal tab that moves on to another app while the window is open, and
// clicks aimed at the spot where the window opens. Each is done here, then refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eachBrowser } from "./suite.mjs";
import { appBlade, click, clickWidget, openConfirmation, sessionRun, set, text, waitFor, WIDGET } from "./steps.mjs";

const MALLORY = { ownerUpn: "mallory@contoso.example", ownerName: "Mallory Member" };

eachBrowser((suite) => {
  before(() => suite.start());
  after(() => suite.stop());

  test(`${suite.name}: a look-alike app is told apart by its owners, creation, publisher domain and the apps sharing its name`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const mine = await world.post("/sandbox/seed", { displayName: "Contoso FE (by hand)" });
    // The look-alike: the same display name, registered by a member, who owns it.
    const lookalike = await world.post("/sandbox/member-app", { displayName: "Contoso FE (by hand)", ...MALLORY });
    const portal = await suite.portal("portal", appBlade(lookalike.appId));
    let page = await openConfirmation(suite, portal);
    assert.equal(await text(page, "#app-name"), "Contoso FE (by hand)", "the name alone tells nothing");
    assert.equal(await text(page, "#app-id"), lookalike.appId);
    assert.equal(await text(page, "#owners"), "Mallory Member <mallory@contoso.example> (not you)");
    assert.match(await text(page, "#warnings"), /Someone other than you owns this app/);
    assert.match(await text(page, "#same-name"), /^1 other app\(s\) in this tenant have this display name/);
    assert.notEqual(await text(page, "#created"), "unknown");
    assert.match(await text(page, "#publisher"), /\.onmicrosoft\.com$/);
    // Names from Graph are isolated wherever they are drawn.
    assert.deepEqual(await page.evaluate(() => ["#app-name", "#owners", "#tenant-name", "#confirm-text"].map((s) => Boolean(document.querySelector(`${s} bdi`)))), [true, true, true, true]);
    assert.equal(await page.evaluate(() => document.getElementById("component").value), "", "no component is chosen by default");
    await page.close();

    // The admin's own app of that name: owned by the signed-in user, the look-alike counted.
    await portal.evaluate((hash) => (location.hash = hash), appBlade(mine.appId));
    page = await openConfirmation(suite, portal);
    assert.equal(await text(page, "#app-id"), mine.appId);
    assert.match(await text(page, "#owners"), /\(you\)$/);
    assert.doesNotMatch(await text(page, "#owners"), /not you/);
    assert.equal(await text(page, "#warnings"), "");
    assert.match(await text(page, "#same-name"), /^1 other app\(s\)/);
    await page.close();
    await portal.close();
  });

  test(`${suite.name}: the portal tab showing another app by the time Apply is pressed gets nothing applied`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const first = await world.post("/sandbox/seed", { displayName: "Contoso FE (by hand)" });
    const second = await world.post("/sandbox/seed", { displayName: "Contoso payroll" });
    const portal = await suite.portal("portal", appBlade(first.appId));
    const page = await openConfirmation(suite, portal);
    await set(page, "#component", "FE");
    await set(page, "#confirm", true);
    // The tab moves on (a link, a script, the admin) while the window stays open for the first app.
    await portal.evaluate((hash) => (location.hash = hash), appBlade(second.appId));
    await waitFor(portal, (id) => document.querySelector("lucs-app-registrar") && location.hash.includes(id), second.appId, { what: "the tab on the second app" });
    await click(page, "#apply");
    await waitFor(page, () => document.getElementById("error").textContent.length > 0, null, { what: "the refusal" });
    assert.match(await text(page, "#error"), /^The portal tab no longer shows the app this window was opened for, so nothing was applied\./);
    const apps = (await world.state()).applications;
    assert.ok(apps.every((a) => (a.appRoleIds ?? []).length === 0 && a.requiredResourceAccess.length === 0), "neither app was changed");
    assert.equal((await sessionRun(page))?.job ?? null, null, "no run was started");
    // The window cannot be used again, even with the tab back on its app.
    await portal.evaluate((hash) => (location.hash = hash), appBlade(first.appId));
    await click(page, "#apply");
    await waitFor(page, () => /no longer open/.test(document.getElementById("error").textContent), null, { what: "the window spent" });
    await page.close();
    await portal.close();
  });

  test(`${suite.name}: clicks landing in a confirmation the moment it opens decide nothing`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const { appId } = await world.post("/sandbox/seed", { displayName: "Contoso FE (by hand)" });
    const portal = await suite.portal("portal", appBlade(appId, "CallAnAPI"));
    // A page that knows the layout makes the admin click fast right where the window's box and button appear. The
    // clicks must land within the window's first second to be that attack: on a machine too loaded to click that
    // fast, a fresh window is opened and the clicks are made again.
    let page = null;
    let log = "";
    for (let attempt = 1; ; attempt++) {
      await clickWidget(portal, WIDGET.apply);
      page = await suite.nextPage((url) => url.includes("/confirm.html"));
      await waitFor(page, () => document.body.dataset.ready === "true", null, { what: "the confirmation" });
      const spots = await page.evaluate(() => {
        // Each click's time since the decision appeared (the page's mark; without one, since now).
        const shown = performance.getEntriesByName("lucs-confirm-shown")[0]?.startTime ?? performance.now();
        window.__input = [];
        window.addEventListener("pointerdown", (e) => e.isTrusted && window.__input.push([e.target.id, Math.round(performance.now() - shown)]), true);
        const at = (id) => {
          const r = document.getElementById(id).getBoundingClientRect();
          return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
        };
        return { confirm: at("confirm"), apply: at("apply") };
      });
      for (let i = 0; i < 2; i++) {
        await page.raw.mouse.click(spots.confirm.x, spots.confirm.y);
        await page.raw.mouse.click(spots.apply.x, spots.apply.y);
      }
      const input = await page.evaluate(() => window.__input);
      log = JSON.stringify(input);
      assert.equal(input.length, 4, `the clicks arrived: ${log}`);
      if (input.every(([, ms]) => ms < 900)) break;
      assert.ok(attempt < 3, `the clicks never came within the window's first second: ${log}`);
      await page.close();
    }
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await sessionRun(page))?.job ?? null, null, `no run was started: ${log}`);
    assert.deepEqual((await world.state()).applications[0].requiredResourceAccess, [], log);
    assert.equal(await page.evaluate(() => document.getElementById("confirm").checked), false, `the box was not ticked: ${log}`);
    assert.equal(await page.evaluate(() => document.getElementById("component").value), "", "no component was chosen");
    // A second later the same window takes a real decision; the box ticked holds Apply back for a moment again.
    await set(page, "#component", "FE");
    await click(page, "#confirm");
    assert.equal(await page.evaluate(() => document.getElementById("confirm").checked), true);
    assert.equal(await page.evaluate(() => document.getElementById("apply").disabled), true, "not in the second after ticking");
    await click(page, "#apply");
    await waitFor(page, () => /Done/.test(document.getElementById("run-status").textContent), null, { timeout: 60000, what: "the apply run" });
    await page.close();
    await portal.close();
  });
});
