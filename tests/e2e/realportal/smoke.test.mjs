// The release builds on the portal's real host names, in Chromium and in Firefox: the add-on loads, takes the
// tenant from a portal tab with the App registrations blade open (portal.azure.com and entra.microsoft.com)
// with a token that can register, and never takes a token from a page that is not the portal.
// LUCS_BROWSERS=chromium (or firefox) runs one browser only.
import { describe, test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { HOSTS, startWorld } from "./hosts.mjs";
import { BROWSERS, launch } from "./browsers.mjs";

// Named in the popup only when the token it would use lacks them.
const WRITE_SCOPES = /Application\.ReadWrite\.All|AppRoleAssignment\.ReadWrite\.All|DelegatedPermissionGrant\.ReadWrite\.All/;

for (const kind of BROWSERS) {
  describe(`release build in ${kind}`, () => {
    // A fresh world and browser per test: nothing captured in one test is seen by another.
    let world, browser;
    beforeEach(async () => {
      world = await startWorld();
      browser = await launch(kind, world);
    });
    afterEach(async () => {
      await browser?.close();
      await world?.close();
    });

    test("the add-on loads: its popup and options pages open and ask for a portal session", async () => {
      const popup = await browser.openPopup();
      assert.equal(await popup.isVisible("#no-token"), true);
      const options = await browser.openOptions();
      await options.waitForSelector("#client-id");
      assert.equal(await options.inputValue("#client-id"), "");
    });

    for (const shell of ["portal", "entra"]) {
      test(`on ${HOSTS[shell]}, the App registrations blade open: the popup shows the tenant and a token that can register`, async () => {
        const { appId } = await world.post("/sandbox/seed", { displayName: "Registered by hand" });
        const { tenantId } = await world.state();
        const portal = await browser.newPage(world.url(shell, `/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/${appId}`));
        const blade = await portal.waitForFrame(world.hosts.registeredApps);
        await blade.waitForFunction(() => document.getElementById("title").textContent === "Registered by hand");
        // Lower-scoped tokens (the Entra menu blade's, the shell's) keep arriving after the blade's writable one.
        await waitFor(() => {
          const calls = world.graphCalls();
          const writable = calls.findLastIndex((c) =>
            c.appid === world.clients.registeredApps.appId && c.status === 200);
          return writable >= 0 && calls.slice(writable).some((c) => c.appid === world.clients.iam.appId)
            && calls.slice(writable).some((c) => c.appid === world.clients.shell.appId);
        });
        await portal.screenshot(`realportal-${kind}-${shell}-registered-apps`);

        const popup = await browser.openPopup();
        await popup.waitForSelector("#tenant-info:not([hidden])");
        assert.equal(await popup.inputValue("#tenant-select"), tenantId);
        // The product change this suite exists for: the session the popup uses is the App registrations blade's,
        // and it lacks none of the scopes a registration needs: tokens come from the blade frames, chosen by scope.
        // The sessions are under the tenant's Details, as an admin who wants them opens it.
        await popup.evaluate(() => document.querySelectorAll("#tenant details").forEach((d) => (d.open = true)));
        const says = () => popup.evaluate(() => document.getElementById("tenant").innerText);
        await popup.waitForFunction(() => /App registrations/.test(document.getElementById("tenant").innerText), null, { timeout: 10_000 })
          .catch(async () => assert.fail(`the popup names no App registrations session: ${await says()}`));
        assert.doesNotMatch(await says(), WRITE_SCOPES);
        assert.doesNotMatch(await says(), /No token that can register/i);
        await popup.screenshot(`realportal-${kind}-${shell}-popup`);
      });
    }

    test("a page that is not the portal, calling Graph with a writable token, is never captured", async () => {
      const intranet = await browser.newPage(world.url("intranet", "/"));
      await intranet.waitForFunction(() => Number(document.body.dataset.calls) >= 6 && /signed in as/.test(document.getElementById("who").textContent));
      const fromIntranet = world.graphCalls().filter((c) => c.origin === `https://${world.hosts.intranet}` && c.status === 200);
      assert.ok(fromIntranet.length >= 4, "the intranet page's own Graph calls succeed");
      const popup = await browser.openPopup();
      assert.equal(await popup.isVisible("#no-token"), true);
      assert.equal(await popup.isVisible("#tenant-info"), false);
      assert.deepEqual(
        world.graphCalls().filter((c) => c.origin?.startsWith(browser.extensionBaseUrl.slice(0, -1))), []);
      await popup.screenshot(`realportal-${kind}-intranet-popup`);
    });
  });
}

async function waitFor(check, { timeout = 20_000, what = "condition" } = {}) {
  const end = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
