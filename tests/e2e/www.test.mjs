// The planner page in headless Chromium: what an admin sees and copies.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, browser, screenshot } from "./harness.mjs";

let site, chrome, context, page;

before(async () => {
  site = await serve("dist/www");
  chrome = await browser();
  context = await chrome.newContext({ viewport: { width: 1200, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: site.url.replace(/\/$/, "") });
  page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  // The page probes /sandbox/state to learn whether the sandbox serves it; here it does not (404), as intended.
  page.on("console", (m) => m.type() === "error" && !m.location().url.endsWith("/sandbox/state") && problems.push(m.text()));
  await page.goto(site.url);
  await page.waitForSelector("body[data-ready=true]");
  assert.deepEqual(problems, []);
});

after(async () => {
  await chrome?.close();
  site?.close();
});

const keys = () => page.$$eval("#plan tbody tr td:first-child", (tds) => tds.map((td) => td.textContent));

test("the sandbox run is not offered when the page is served elsewhere", async () => {
  assert.equal(await page.isVisible("#sandbox"), false);
});

test("all eight components with two CR and two CI instances plan ten apps", async () => {
  assert.equal(await page.locator("#components .card").count(), 8);
  await page.fill("#c-CR-count", "2");
  await page.fill("#c-CI-count", "2");
  assert.deepEqual(await keys(), [
    "lucs-ac", "lucs-ci-1", "lucs-ci-2", "lucs-cic", "lucs-cr-1", "lucs-cr-2",
    "lucs-fe", "lucs-galreader", "lucs-teamsaa", "lucs-webconfigurator",
  ]);
  assert.match(await page.textContent("#plan-count"), /10 applications/);
  assert.match(await page.textContent("#warnings"), /Users\.Read/);
  await screenshot(page, "www-plan");
});

test("each export shows the plan for its tool", async () => {
  const expected = {
    "manifest-json": "/applications(uniqueName='lucs-cr-2')",
    "az-cli": "az ad app create --display-name 'LUCS Conversation Recording (2)'",
    powershell: "New-MgServicePrincipalAppRoleAssignment",
    terraform: 'resource "azuread_app_role_assignment" "lucs_fe_user_read_all"',
    "ids-csv": "CR,2,LUCS Conversation Recording (2),,,",
  };
  for (const [format, needle] of Object.entries(expected)) {
    await page.selectOption("#format", format);
    const text = await page.inputValue("#export");
    assert.ok(text.includes(needle), `${format} lacks ${needle}`);
  }
  await page.click("#copy");
  await page.waitForFunction(() => document.getElementById("copied").textContent !== "");
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^component,instance,displayName,appId,tenantId,objectId/);
});

test("optional permission and options change the plan", async () => {
  await page.check("#c-CI-Calendars\\.Read\\.Shared");
  assert.match(await page.textContent("#plan tbody tr:nth-child(2)"), /Calendars\.Read\.Shared/);
  await page.uncheck("#consent");
  assert.match(await page.textContent("#plan tbody tr:nth-child(1)"), /not granted/);
  await page.check("#consent");
});

test("invalid input shows the core's message next to the field", async () => {
  await page.fill("#c-CR-count", "21");
  assert.match(await page.textContent("#c-CR-instances-error"), /at most 20/);
  assert.equal(await page.getAttribute("#c-CR-count", "aria-invalid"), "true");
  assert.equal(await page.locator("#plan tbody tr").count(), 0);
  await page.fill("#c-CR-count", "2");
  assert.equal(await page.textContent("#c-CR-instances-error"), "");

  await page.fill("#prefix", "LU'CS");
  assert.match(await page.textContent("#prefix-error"), /prefix/);
  await screenshot(page, "www-invalid-prefix");
  await page.fill("#prefix", "Contoso");
  assert.equal((await keys())[0], "contoso-ac");

  await page.fill("#lifetime", "30");
  assert.match(await page.textContent("#lifetime-error"), /between 1 and 24/);
  await page.fill("#lifetime", "12");
});
