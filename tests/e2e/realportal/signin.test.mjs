// The sign-in fallback in both browsers: with the organisation's own client ID saved in the options page, "Sign in"
// runs the authorization code flow with PKCE through identity.launchWebAuthFlow against the sign-in host, and the
// token it gets is the one the popup then offers for the tenant.
import { describe, test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { startWorld } from "./hosts.mjs";
import { BROWSERS, launch } from "./browsers.mjs";

const CLIENT_ID = "5d3f2a1b-7c6e-4f8a-9b0c-1d2e3f4a5b6c";

for (const kind of BROWSERS) {
  describe(`sign-in fallback in ${kind}`, () => {
    let world, browser;
    beforeEach(async () => {
      world = await startWorld();
      browser = await launch(kind, world);
    });
    afterEach(async () => {
      await browser?.close();
      await world?.close();
    });

    test("the saved client ID signs in with PKCE; the token it returns gives the popup the tenant", async () => {
      const { tenantId } = await world.state();
      const options = await browser.openOptions();
      // The page fills its fields from storage once loaded (the redirect URL last but one): type after that.
      await options.waitForFunction(() => document.getElementById("redirect").value !== "");
      await options.fill("#client-id", CLIENT_ID);
      await options.click("#save");
      await options.waitForFunction(() => document.getElementById("status").textContent !== "");
      await options.click("#sign-in");
      await options.waitForFunction((tid) => document.getElementById("status").textContent.includes(tid), tenantId, { timeout: 20_000 })
        .catch(async () => assert.fail(`no token accepted: ${await options.textContent("#status")} / ${JSON.stringify(world.loginRequests())}`));
      const [authorize, token] = ["/oauth2/v2.0/authorize", "/oauth2/v2.0/token"].map((p) => world.loginRequests().find((r) => r.path.endsWith(p)));
      assert.equal(authorize.query.client_id, CLIENT_ID);
      assert.equal(authorize.query.code_challenge_method, "S256");
      assert.equal(token.form.grant_type, "authorization_code");
      const popup = await browser.openPopup();
      await popup.waitForSelector("#tenant-info:not([hidden])");
      assert.equal(await popup.inputValue("#tenant-select"), tenantId);
      await popup.screenshot(`realportal-${kind}-signin-popup`);
    });
  });
}
