// The extension for real in headless Chromium (the test build, the only one trusting 127.0.0.1): the mock
// portal's own Graph call gives it a token; the popup plans, checks and registers the full set in the sandbox.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { sandbox, screenshot } from "./harness.mjs";

const EXT = resolve("dist/test");
let site, context, extensionId, portal;

before(async () => {
  site = await sandbox("tests/e2e/portal", ["--latency-ms", "150"]);
  context = await chromium.launchPersistentContext(await mkdtemp(join(tmpdir(), "lucs-ext-")), {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [`--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`, "--no-sandbox", "--disable-gpu",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  extensionId = new URL(worker.url()).host;
  portal = await context.newPage();
  await portal.goto(site.url);
  await portal.waitForFunction(() => /signed in as/.test(document.getElementById("who").textContent));
});

after(async () => {
  await context?.close();
  site?.close();
});

const sandboxState = () => portal.evaluate(async () => (await fetch("/sandbox/state")).json());
const sandboxPost = (path, body) => portal.evaluate(async ([p, b]) => (await fetch(p, { method: "POST", body: JSON.stringify(b) })).json(), [path, body]);

async function openPopup() {
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await popup.waitForSelector("body[data-ready=true]");
  return popup;
}

async function prepare(popup) {
  await popup.waitForSelector("#tenant-info:not([hidden])");
  await popup.fill("#n-CR", "2");
  await popup.dispatchEvent("#n-CR", "change");
  await popup.fill("#n-CI", "2");
  await popup.dispatchEvent("#n-CI", "change");
  await popup.waitForFunction(() => /Contoso/.test(document.getElementById("tenant-details").textContent));
  await popup.click("#check");
  await popup.waitForSelector("#drift li");
  await popup.check("#confirm");
}

// Register, then wait for this run (not the previous one shown on open) to finish.
async function registerAndWait(popup) {
  await popup.click("#register");
  await popup
    .waitForFunction(() => !/^Done/.test(document.getElementById("run-status").textContent), null, { timeout: 10000 })
    .catch(async (err) => {
      throw new Error(`the run did not start: ${await popup.textContent("#plan-error")} / ${await popup.textContent("#run-status")} / register disabled: ${await popup.isDisabled("#register")}`, { cause: err });
    });
  await waitStatus(popup, /^Done/);
}

const waitStatus = (popup, re) =>
  popup.waitForFunction((source) => new RegExp(source).test(document.getElementById("run-status").textContent), re.source, { timeout: 60000 });

test("the portal's token is captured; the popup shows the tenant, who is signed in and what they may grant", async () => {
  const popup = await openPopup();
  await popup.waitForSelector("#tenant-info:not([hidden])");
  const state = await sandboxState();
  assert.equal(await popup.inputValue("#tenant-select"), state.tenantId);
  await popup.waitForFunction(() => /Global Administrator/.test(document.getElementById("tenant-details").textContent));
  assert.match(await popup.textContent("#capabilities"), /✓.*✓.*✓/);
  await screenshot(popup, "extension-popup-ready");
  await popup.close();
});

test("the popup registers the full set; every ID is one click from the clipboard", async () => {
  await sandboxPost("/sandbox/reset", {});
  const popup = await openPopup();
  await prepare(popup);
  assert.equal(await popup.locator("#drift li.create").count(), 10);
  await registerAndWait(popup);
  assert.equal(await popup.locator("#results tbody tr").count(), 10);
  const state = await sandboxState();
  assert.deepEqual(state.duplicates, []);
  const fe = state.applications.find((a) => a.uniqueName === "lucs-fe");
  const copyFe = popup.locator("#results tbody tr", { hasText: "LUCS Frontend" }).locator("td:nth-child(4) button");
  await copyFe.click();
  await popup.waitForFunction((b) => b.textContent === "Copied", await copyFe.elementHandle());
  assert.equal(await popup.evaluate(() => navigator.clipboard.readText()), fe.appId);
  assert.equal(await popup.locator("#secrets-box .secret").count(), 4, "secrets shown once");
  await popup.click("#copy-csv");
  await popup.waitForFunction(() => document.getElementById("copied").textContent !== "");
  const csv = await popup.evaluate(() => navigator.clipboard.readText());
  assert.match(csv, new RegExp(`FE,,LUCS Frontend of the Web Application,${fe.appId},${state.tenantId},${fe.objectId}`));
  await screenshot(popup, "extension-popup-results");
  const [download] = await Promise.all([popup.waitForEvent("download"), popup.click("#download")]);
  const report = await readFile(await download.path(), "utf8");
  assert.equal(JSON.parse(report).applications.length, 10);
  assert.ok(!report.includes("secretText") && !report.includes("eyJ"), "the report has no secret and no token");
  await popup.close();
  const again = await openPopup();
  assert.equal(await again.locator("#secrets-box .secret").count(), 0, "never shown twice");
  assert.equal(await again.locator("#results tbody tr").count(), 10, "results survive the popup closing");
  await again.close();
});

test("rollback from the popup deletes exactly what the run created; registering again creates the set anew", async () => {
  await sandboxPost("/sandbox/reset", {});
  const { appId } = await sandboxPost("/sandbox/seed", { displayName: "Someone else's app" });
  const popup = await openPopup();
  await prepare(popup);
  await registerAndWait(popup);
  await popup.waitForSelector("#results-section:not([hidden])");
  await popup.click("#rollback");
  assert.match(await popup.textContent("#rollback"), /again/, "asks for a second click");
  await popup.click("#rollback");
  await popup.waitForFunction(() => /Rolled back: 10/.test(document.getElementById("copied").textContent), null, { timeout: 30000 });
  let state = await sandboxState();
  assert.deepEqual(state.applications.map((a) => a.appId), [appId], "only the other app is left");
  await popup.close();
  // The rolled-back run's journal names apps that are gone: a new Register must not resume it.
  const again = await openPopup();
  await prepare(again);
  assert.equal(await again.locator("#drift li.create").count(), 10);
  await registerAndWait(again);
  state = await sandboxState();
  assert.equal(state.applications.length, 11, "the full set again, beside the other app");
  assert.deepEqual(state.duplicates, []);
  assert.equal(await again.locator("#results tbody tr").count(), 10);
  await again.close();
});

test("closing the popup mid-run changes nothing; stopping the worker mid-run resumes from the journal", async () => {
  await sandboxPost("/sandbox/reset", {});
  await sandboxPost("/sandbox/faults", { replicationMs: 1500 });
  const popup = await openPopup();
  await prepare(popup);
  await popup.click("#register");
  await waitStatus(popup, /Registering/);
  await popup.close();
  // Stop the service worker, as the browser may at any time.
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  await page.close();
  await new Promise((r) => setTimeout(r, 500));
  const reopened = await openPopup();
  await waitStatus(reopened, /Done/);
  const restarts = await reopened.evaluate(async () => (await chrome.storage.session.get("run")).run.restarts);
  assert.ok(restarts >= 1, "the restarted worker resumed the run from its journal");
  assert.equal(await reopened.locator("#results tbody tr").count(), 10);
  const state = await sandboxState();
  assert.equal(state.applications.length, 10);
  assert.deepEqual(state.duplicates, []);
  await sandboxPost("/sandbox/faults", { replicationMs: 0 });
  await reopened.close();
});

test("an expired token mid-run pauses the run until the portal sends a fresh one", async () => {
  await sandboxPost("/sandbox/reset", {});
  await sandboxPost("/sandbox/faults", { expireToken: 0.4 });
  const popup = await openPopup();
  await prepare(popup);
  await registerAndWait(popup);
  await sandboxPost("/sandbox/faults", { expireToken: 0 });
  const state = await sandboxState();
  assert.ok(state.expiredTokens > 0, "some requests were refused with 401 and the run went on");
  assert.equal(state.applications.length, 10);
  assert.deepEqual(state.duplicates, []);
  await popup.close();
});

test("the token never reaches storage.local, and forged or foreign messages are refused", async () => {
  const popup = await openPopup();
  // After the expired-token test the portal's next call (within a second) brings a fresh token.
  await popup.evaluate(async () => {
    for (let i = 0; i < 50; i++) {
      if (Object.keys(await chrome.storage.session.get(null)).some((k) => k.startsWith("token:"))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  const leaks = await popup.evaluate(async () => {
    const session = await chrome.storage.session.get(null);
    const tokens = Object.entries(session).filter(([k]) => k.startsWith("token:")).map(([, v]) => v.token);
    const local = JSON.stringify(await chrome.storage.local.get(null));
    return { tokens: tokens.length, inLocal: tokens.some((t) => local.includes(t)) };
  });
  assert.ok(leaks.tokens > 0);
  assert.equal(leaks.inLocal, false);
  const refused = await popup.evaluate(async () => [
    await chrome.runtime.sendMessage({ type: "register", tid: 1 }),
    await chrome.runtime.sendMessage({ type: "portalIds", appId: "x" }),
    await chrome.runtime.sendMessage({ type: "dumpTokens" }),
    await chrome.runtime.sendMessage("state"),
  ]);
  assert.deepEqual(refused.map((r) => r.error), ["refused", "refused", "refused", "refused"]);
  const state = await popup.evaluate(() => chrome.runtime.sendMessage({ type: "state" }));
  assert.ok(!JSON.stringify(state).includes("eyJ"), "no token in any answer");
  await popup.close();
});

test("on an app registration blade the in-portal button copies the Application and Directory IDs", async () => {
  const appId = "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";
  await portal.goto(`${site.url}#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/${appId}`);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: site.url.replace(/\/$/, "") });
  const group = portal.locator("[aria-label='LUCS App Registrar']");
  await group.waitFor();
  await group.locator("button").first().click();
  assert.equal(await portal.evaluate(() => navigator.clipboard.readText()), appId);
  await group.locator("button").nth(1).click();
  await portal.waitForTimeout(200);
  assert.equal(await portal.evaluate(() => navigator.clipboard.readText()), (await sandboxState()).tenantId);
});

test("the in-portal button applies a component's permissions and consent onto an app registered by hand", async () => {
  await sandboxPost("/sandbox/reset", {});
  const { appId } = await sandboxPost("/sandbox/seed", { displayName: "Contoso FE (by hand)" });
  await portal.goto(`${site.url}#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/CallAnAPI/appId/${appId}`);
  const group = portal.locator("[aria-label='LUCS App Registrar']");
  await group.locator("select option[value=FE]").waitFor({ state: "attached" });
  await group.locator("select").selectOption("FE");
  await group.locator("button", { hasText: "Apply LUCS permissions" }).click();
  await portal.waitForFunction(() => /refresh this page/.test(document.querySelector("[aria-label='LUCS App Registrar'] [role=status]").textContent), null, { timeout: 30000 });
  const state = await sandboxState();
  assert.equal(state.applications.length, 1, "nothing new registered");
  const app = state.applications[0];
  assert.equal(app.displayName, "Contoso FE (by hand)");
  assert.deepEqual(app.appRoleIds, ["df021288-bdef-4463-88db-98f22de89214"]);
  assert.equal(app.requiredResourceAccess[0].resourceAccess[0].type, "Role");
  await screenshot(portal, "extension-portal-apply");
});

test("release builds trust no loopback host", async () => {
  for (const build of ["dist/chrome", "dist/firefox"]) {
    for (const file of ["manifest.json", "config.js", "background.js"]) {
      assert.ok(!(await readFile(join(build, file), "utf8")).includes("127.0.0.1"), `${build}/${file}`);
    }
  }
  const source = await Promise.all(["background.js", "popup.js", "options.js", "content.js"].map((f) => readFile(join("extension", f), "utf8")));
  assert.ok(source.every((s) => !/console\.(log|info|debug|warn|error)/.test(s)), "the extension never logs");
});
