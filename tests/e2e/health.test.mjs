// The planner page's health demo against the sandbox (as `make demo` serves it): a fresh registration is healthy;
// after the sandbox lets the tenant drift each state is named; a secret is renewed in two separate steps within a
// 180-day policy, each key's last sign-in shown between them; the configuration sheet holds the IDs, and a secret
// only when asked for.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { planner, runOnSandbox } from "./pages.mjs";
import { PAGE_BROWSERS } from "./harness.mjs";

for (const kind of PAGE_BROWSERS) describe(kind, () => {
  let session;
  let page;

  before(async () => {
    session = await planner("en", kind);
    page = session.page;
    await runOnSandbox(page);
  });

  after(() => session?.close());

  const statusText = () => page.textContent("#health-status");
  const rowOf = (key) => page.withText("#health-table tbody tr", key);

  async function checkHealth() {
    await page.click("#health-check");
    await page.waitForFunction(() => /round trips/.test(document.getElementById("health-status").textContent), null, { timeout: 30_000 });
  }

  test("the fresh registration is healthy, then each drifted state is named", async () => {
    await checkHealth();
    assert.match(await statusText(), /^0 of 8 apps need attention · 2 round trips/, "the page's default plan: one of each component");
    await page.click("#health-seed");
    await page.waitForFunction(() => /Changed in the tenant/.test(document.getElementById("health-status").textContent));
    await checkHealth();
    assert.match(await statusText(), /^5 of 9 apps need attention · 2 round trips/);
    assert.match(await page.textContent(await rowOf("lucs-webconfigurator")), /expired/);
    assert.match(await page.textContent(await rowOf("lucs-cic")), /ends .* \(\d+ days\)/);
    assert.match(await page.textContent(await rowOf("lucs-fe")), /not granted/);
    assert.match(await page.textContent(await rowOf("lucs-ci-1")), /extra: Sites\.Read\.All/);
    assert.match(await page.textContent(await rowOf("lucs-galreader")), /no owners/);
    assert.match(await page.textContent(await rowOf("lucs-legacy")), /not in the plan/);
    assert.equal(session.problems.length, 0, session.problems.join("\n"));
  });

  test("a secret is renewed within the tenant's policy, the old one removed only by its own click", async () => {
    const state = await page.evaluate(async () => (await (await fetch("/sandbox/state")).json()));
    assert.ok(state.tenantId);
    await checkHealth();
    await page.click(`${await rowOf("lucs-cic")} button`);
    await page.waitForSelector("#renew-months");
    const offered = await page.$$eval("#renew-months option", (o) => o.map((x) => x.value));
    assert.deepEqual(offered, ["3", "6", "12", "18", "24"], "no policy: every preset");
    await page.select("#renew-months", "6");
    await page.click("#renew-add");
    await page.waitForSelector("#health-renewal .secret");
    assert.match(await page.textContent("#health-renewal"), /New secret added beside the old ones/);
    await page.waitForFunction(() => /round trips/.test(document.getElementById("health-status").textContent));
    // Each key's last sign-in between the steps: the new one has none yet; once LUCS signs in with it, it shows.
    await page.waitForFunction(() => document.getElementById("renew-activity")?.dataset.readable === "true");
    const fresh = "#health-renewal .secret.new .last-sign-in";
    assert.match(await page.textContent(fresh), /no sign-in recorded/);
    const keyId = await page.getAttribute(fresh, "title");
    const signIn = (k) => fetch("/sandbox/sign-in", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ keyId: k }) }).then((r) => r.status);
    assert.equal(await page.evaluate(signIn, keyId), 200);
    await page.click("#renew-activity-read");
    await page.waitForFunction(() => /last sign-in/.test(document.querySelector("#health-renewal .secret.new .last-sign-in").textContent));
    const retire = "#health-renewal button.danger";
    assert.equal(await page.count(retire), 1, "one old secret, one removal button");
    await page.click(retire);
    await page.waitForFunction(() => /Removed\. 1 secret/.test(document.getElementById("health-renewal").textContent));
    const sheetPlain = await page.textContent("#sheet");
    assert.match(sheetPlain, /LUCS Customer Infrastructure Connector\nApplication \(client\) ID: [0-9a-f-]{36}\nDirectory \(tenant\) ID: [0-9a-f-]{36}\nSecret expires: /);
    const secretText = await page.textContent("#health-renewal .secret code");
    assert.ok(!sheetPlain.includes(secretText), "no secret on the sheet unless asked for");
    await page.check("#sheet-secrets");
    assert.ok((await page.textContent("#sheet")).includes(`Client secret: ${secretText}`));
  });

  test("the drift is listed change by change, fixed in one click, and an unticked extra stays until ticked", async () => {
    await page.click("#health-seed");
    await page.waitForFunction(() => /Changed in the tenant/.test(document.getElementById("health-status").textContent));
    await checkHealth();
    await page.waitForSelector("#drift-apps li.drift-app");
    const listed = await page.$$eval("#drift-apps > li", (lis) => lis.map((li) => li.dataset.key));
    assert.ok(listed.includes("lucs-fe") && listed.includes("lucs-ci-1"), listed.join());
    assert.match(await page.textContent('#drift-apps li[data-key="lucs-fe"]'), /grant consent to the application permissions: User\.Read\.All/);
    assert.equal(await page.isChecked('#drift-apps input[data-name="Sites.Read.All"]'), false);

    await page.click("#drift-fix");
    await page.waitForSelector("#drift-done");
    await page.waitForFunction(() => /round trips/.test(document.getElementById("health-status").textContent));
    assert.match(await page.textContent("#health-drift-result"), /left as they were: Sites\.Read\.All \(lucs-ci-1\)/);
    assert.doesNotMatch(await page.textContent(await rowOf("lucs-fe")), /not granted/);
    assert.match(await page.textContent(await rowOf("lucs-ci-1")), /extra: Sites\.Read\.All/, "not ticked, so it stays");

    await page.check('#drift-apps input[data-name="Sites.Read.All"]');
    await page.click("#drift-fix");
    await page.waitForFunction(() => /removed: Sites\.Read\.All/.test(document.getElementById("health-drift-result").textContent));
    await page.waitForFunction(() => !document.querySelector("#drift-apps li.drift-app"));
    assert.doesNotMatch(await page.textContent(await rowOf("lucs-ci-1")), /Sites\.Read\.All/);
    assert.equal(session.problems.length, 0, session.problems.join("\n"));
  });
});
