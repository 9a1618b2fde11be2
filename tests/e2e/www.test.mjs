// The planner page in a headless browser: what an admin sees and copies.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, blankPage, screenshot, PAGE_BROWSERS } from "./harness.mjs";

for (const kind of PAGE_BROWSERS) describe(kind, () => {
  let site, session, page, files;

  before(async () => {
    site = await serve("dist/www");
    files = await mkdtemp(join(tmpdir(), "lucs-www-"));
    session = await blankPage(kind, { origin: site.url.replace(/\/$/, "") });
    page = session.page;
    const problems = session.problems;
    // The page probes /sandbox/state to learn whether the sandbox serves it; here it does not (404), as intended.
    page.on("console", (m) => m.type() === "error" && !m.location().url?.endsWith("/sandbox/state")
      && problems.push(m.text()));
    await page.goto(site.url);
    await page.waitForSelector("body[data-ready=true]");
    assert.deepEqual(problems, []);
  });

  after(async () => {
    await session?.close();
    site?.close();
    if (files) await rm(files, { recursive: true, force: true });
  });

  const keys = () => page.$$eval("#plan tbody tr td:first-child", (tds) => tds.map((td) => td.textContent));

  test("the sandbox run is not offered when the page is served elsewhere", async () => {
    assert.equal(await page.isVisible("#sandbox"), false);
  });

  test("all eight components with two CR and two CI instances plan ten apps", async () => {
    assert.equal(await page.count("#components .card"), 8);
    await page.fill("#c-CR-count", "2");
    await page.fill("#c-CI-count", "2");
    assert.deepEqual(await keys(), [
      "lucs-ac", "lucs-ci-1", "lucs-ci-2", "lucs-cic", "lucs-cr-1", "lucs-cr-2",
      "lucs-fe", "lucs-galreader", "lucs-teamsaa", "lucs-webconfigurator",
    ]);
    assert.match(await page.textContent("#plan-count"), /10 applications/);
    assert.match(await page.textContent("#warnings"), /Users\.Read/);
    await screenshot(page, "www-plan");
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "www-top", false);
  });

  test("each export shows the plan for its tool", async () => {
    const expected = {
      "manifest-json": "/applications(uniqueName='lucs-cr-2')",
      "az-cli": "body='{\"displayName\":\"LUCS Conversation Recording (2)\",",
      powershell: "New-MgServicePrincipalAppRoleAssignment",
      terraform: 'resource "azuread_app_role_assignment" "lucs_fe_user_read_all"',
      "ids-csv": "CR,2,LUCS Conversation Recording (2),,,",
    };
    for (const [format, needle] of Object.entries(expected)) {
      await page.select("#format", format);
      const text = await page.inputValue("#export");
      assert.ok(text.includes(needle), `${format} lacks ${needle}`);
    }
    await page.click("#copy");
    await page.waitForFunction(() => document.getElementById("copied").textContent !== "");
    // Firefox asks the user before a page may read the clipboard: there the button's answer is what is seen.
    if (session.readClipboard) {
      assert.match(await session.readClipboard(), /^component,instance,displayName,appId,tenantId,objectId/);
    }
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
    assert.equal(await page.getAttribute("#c-CR-labels", "aria-invalid"), "true");
    assert.equal(await page.count("#plan tbody tr"), 0);
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

  test("instance labels and redirect URIs are taken, and their errors shown next to them", async () => {
    await page.fill("#c-CR-labels", "east, west");
    assert.ok((await keys()).includes("contoso-cr-east") && (await keys()).includes("contoso-cr-west"));
    await page.fill("#c-CR-labels", "east, East");
    assert.match(await page.textContent("#c-CR-instances-error"), /used twice/);
    await page.fill("#c-CR-labels", "east, ");
    assert.match(await page.textContent("#c-CR-instances-error"), /blank/);
    await page.fill("#c-CR-labels", "1, 2");
    await page.click(".card:has(#c-FE) summary");
    await page.fill("#c-FE-web", "https://lucs.contoso.com/signin\nhttp://contoso.com/cb");
    assert.match(await page.textContent("#c-FE-web-error"), /only https:\/\/ is allowed/);
    assert.equal(await page.getAttribute("#c-FE-web", "aria-invalid"), "true");
    await page.fill("#c-FE-web", "https://lucs.contoso.com/signin");
    await page.select("#format", "manifest-json");
    assert.ok((await page.inputValue("#export")).includes("https://lucs.contoso.com/signin"));
  });

  test("selections save to JSON and load back", async () => {
    const saved = await page.download("#save-request");
    const before = await keys();
    await page.uncheck("#c-AC");
    await page.fill("#prefix", "Other");
    assert.notDeepEqual(await keys(), before);
    await page.setInputFiles("#load-request", saved);
    await page.waitForFunction((n) => document.querySelectorAll("#plan tbody tr").length === n, before.length);
    assert.deepEqual(await keys(), before);
    assert.equal(await page.inputValue("#prefix"), "Contoso");
  });

  test("a custom catalog is validated and its errors shown", async () => {
    const broken = await page.evaluate(async () => {
      const { catalog } = await import("./pkg/lucs_registrar.js");
      const c = catalog();
      c.components[0].permissions[0].kind = "Scope";
      return JSON.stringify(c);
    });
    await writeFile(join(files, "broken.json"), broken);
    await page.setInputFiles("#load-catalog", join(files, "broken.json"));
    await page.waitForFunction(() => document.getElementById("catalog-error").textContent !== "");
    assert.match(await page.textContent("#catalog-error"), /components\[0\]\.permissions\[0\]\.kind.*delegated.*application/);
    const custom = JSON.parse(broken);
    custom.components[0].permissions[0].kind = "delegated";
    custom.profile = "LUCS test profile";
    custom.components = custom.components.slice(0, 2);
    await writeFile(join(files, "catalog.json"), JSON.stringify(custom));
    await page.setInputFiles("#load-catalog", join(files, "catalog.json"));
    await page.waitForFunction(() => document.getElementById("catalog-status").textContent !== "");
    assert.match(await page.textContent("#catalog-status"), /LUCS test profile/);
    assert.equal(await page.count("#components .card"), 2);
    await page.click("#builtin-catalog");
    assert.equal(await page.count("#components .card"), 8);
  });

  test("the page speaks German", async () => {
    await page.select("#language", "de");
    assert.equal(await page.textContent("#components-h"), "Komponenten");
    assert.equal(await page.textContent("#export-h"), "Export");
    assert.match(await page.textContent("#plan-count"), /Anwendungen/);
    await page.setViewportSize({ width: 420, height: 900 });
    await screenshot(page, "www-narrow-de");
    await page.select("#language", "en");
    await page.setViewportSize({ width: 1200, height: 900 });
  });
});
