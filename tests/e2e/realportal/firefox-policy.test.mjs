// Firefox ignores storage.managed_schema; an organisation sets the extension's managed storage through the
// enterprise policy "3rdparty" → "Extensions" → <add-on id> in policies.json (Mozilla policy-templates,
// "3rdparty"). The options page must show that client ID as the organisation's and sign in with it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { startWorld } from "./hosts.mjs";
import { BROWSERS, BUILDS, launch } from "./browsers.mjs";

const CLIENT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
let world, browser;

before(async () => {
  if (!BROWSERS.includes("firefox")) return;
  const geckoId = JSON.parse(await readFile(`${BUILDS.firefox}/manifest.json`, "utf8")).browser_specific_settings.gecko.id;
  world = await startWorld();
  browser = await launch("firefox", world, { policies: { "3rdparty": { Extensions: { [geckoId]: { clientId: CLIENT_ID } } } } });
});

after(async () => {
  await browser?.close();
  await world?.close();
});

test("Firefox: the client ID from the enterprise policy is shown as the organisation's and used to sign in", { skip: !BROWSERS.includes("firefox") }, async () => {
  const options = await browser.openOptions();
  await options.waitForFunction((id) => document.getElementById("client-id").value === id, CLIENT_ID);
  assert.equal(await options.isDisabled("#client-id"), true);
  assert.match(await options.textContent("#managed"), /polic/i);
  await options.screenshot("realportal-firefox-policy-options");
  await options.click("#sign-in");
  await waitFor(() => world.loginRequests().some((r) => r.path.endsWith("/oauth2/v2.0/authorize")));
  const authorize = world.loginRequests().find((r) => r.path.endsWith("/oauth2/v2.0/authorize"));
  assert.equal(authorize.query.client_id, CLIENT_ID);
});

async function waitFor(check, timeout = 20_000) {
  const end = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}
