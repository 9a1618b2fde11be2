// Drift fixed from the Health page: a registered installation with a permission taken out of one app, consent
// revoked on another and a permission granted by hand on a third. The page lists exactly what will change, one Fix
// re-applies it (the table checked again shows asPlanned and complete), the unticked extra survives, and ticked on
// a second Fix it is removed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eachBrowser } from "./suite.mjs";
import { APP_REGISTRATIONS, click, prepare, registerAndWait, waitFor } from "./steps.mjs";

eachBrowser((suite) => {
  before(() => suite.start());
  after(() => suite.stop());

  const rows = (page) => page.evaluate(() => Object.fromEntries([...document.querySelectorAll("#health tbody tr")].map((tr) => [tr.dataset.key, { ...tr.dataset, text: tr.textContent }])));
  const driftApps = (page) => page.evaluate(() => [...document.querySelectorAll("#drift-apps > li")].map((li) => ({ key: li.dataset.key, text: li.textContent, ticks: [...li.querySelectorAll("input[type=checkbox]")].map((b) => ({ ...b.dataset, checked: b.checked })) })));
  const fix = async (page) => {
    const since = Number(await page.evaluate(() => document.body.dataset.checked ?? 0));
    await click(page, "#drift-fix");
    await waitFor(page, (s) => Number(document.body.dataset.checked ?? 0) > s && document.getElementById("drift-done") !== null, since, { what: "the fix and the check after it" });
    return page.evaluate(() => document.getElementById("drift-result").textContent);
  };

  test(`${suite.name}: the Health page lists what a fix changes, fixes it in one click and leaves an unticked extra`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const portal = await suite.portal("portal", APP_REGISTRATIONS, { fresh: true });
    const popup = await suite.popup();
    await prepare(popup);
    await registerAndWait(popup);
    await world.post("/sandbox/health-states", { prefix: "LUCS" });
    const secretsBefore = (await world.state()).applications.map((a) => [a.uniqueName, a.secrets]);

    const page = await suite.extensionPage("health.html");
    await waitFor(page, () => document.querySelectorAll("#drift-apps > li").length > 0, null, { what: "the drift preview" });
    const listed = await driftApps(page);
    assert.deepEqual(listed.map((a) => a.key), ["lucs-ci-1", "lucs-ci-2", "lucs-fe"]);
    const [ci1, ci2, fe] = listed;
    assert.match(ci2.text, /add to the registration: Calendars\.Read/);
    assert.match(fe.text, /grant consent to the application permissions: User\.Read\.All/);
    assert.deepEqual(ci1.ticks.map((b) => [b.source, b.name, b.checked]), [["granted", "Sites.Read.All", false]]);
    assert.match(ci1.text, /Unticked, they stay/);

    // One click, nothing ticked: the drift is fixed, the extra stays, no secret is added.
    const result = await fix(page);
    assert.match(result, /left as they were: Sites\.Read\.All \(lucs-ci-1\)/);
    let now = await rows(page);
    for (const key of ["lucs-ci-1", "lucs-ci-2", "lucs-fe"]) {
      assert.equal(now[key].permissions, "asPlanned", key);
      assert.equal(now[key].consent, "complete", key);
    }
    assert.match(now["lucs-ci-1"].text, /granted by hand: .*Sites\.Read\.All/, "the unticked extra survives");
    assert.deepEqual((await world.state()).applications.map((a) => [a.uniqueName, a.secrets]), secretsBefore, "no secret added");
    assert.deepEqual((await driftApps(page)).map((a) => a.key), ["lucs-ci-1"], "only the extra is left to decide");

    // Ticked, a second Fix removes it.
    await click(page, '#drift-apps input[data-name="Sites.Read.All"]');
    assert.match(await fix(page), /removed: Sites\.Read\.All \(lucs-ci-1\)/);
    now = await rows(page);
    assert.doesNotMatch(now["lucs-ci-1"].text, /Sites\.Read\.All/);
    assert.equal(now["lucs-ci-1"].consent, "complete");
    assert.equal(await page.evaluate(() => document.querySelectorAll("#drift-apps > li").length), 0);
    await page.close();
    await popup.close();
    await portal.close();
  });
});
