// The Health page, opened from the popup: the installation the popup registered, each drifted state the sandbox
// seeds shown as such, a client secret renewed in two separate clicks (the new one waiting on the secrets page like
// a registered one, each key's last sign-in shown so the switch is seen, the old one removed only after the admin
// confirms LUCS uses the new one), the tenant's
// 180-day secret policy offering 3 months only, and the configuration sheet with the values LUCS asks for.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eachBrowser } from "./suite.mjs";
import { APP_REGISTRATIONS, click, copyWith, count, downloadWith, prepare, recordOutputs, registerAndWait, send, set, waitFor } from "./steps.mjs";

eachBrowser((suite) => {
  before(() => suite.start());
  after(() => suite.stop());

  const checked = (page, since) => waitFor(page, (s) => Number(document.body.dataset.checked ?? 0) > s, since, { what: "the health check" });
  const rowData = (page) => page.evaluate(() => Object.fromEntries([...document.querySelectorAll("#health tbody tr")].map((tr) => [tr.dataset.key, {
    ...tr.dataset,
    text: tr.textContent,
    secrets: [...tr.querySelectorAll("li")].filter((li) => li.textContent.startsWith("Secret")).map((li) => ({ keyId: li.dataset.keyId, state: li.dataset.state })),
  }])));
  const waiting = (page) => page.evaluate(async () => (await (globalThis.browser ?? globalThis.chrome).storage.session.get("secrets")).secrets ?? []);

  test(`${suite.name}: the Health page shows each drifted state, renews a secret in two clicks and offers what the policy allows`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    await world.post("/sandbox/app-policy", {});
    const portal = await suite.portal("portal", APP_REGISTRATIONS, { fresh: true });
    const popup = await suite.popup();

    // Nothing registered yet: the page says to register first.
    let page = await suite.extensionPage("health.html");
    await waitFor(page, () => document.body.dataset.ready === "true", null, { what: "the health page" });
    assert.equal(await page.evaluate(() => document.getElementById("register-first").hidden), false, "Register first");
    await page.close();

    await prepare(popup);
    await registerAndWait(popup);
    const seeded = await world.post("/sandbox/health-states", { prefix: "LUCS" });
    assert.equal(seeded.seeded.length, 7, JSON.stringify(seeded));

    // Opened from the popup's one link.
    await click(popup, "#open-health");
    page = await suite.nextPage((url) => url.includes("/health.html"));
    await waitFor(page, () => document.body.dataset.ready === "true" && document.querySelectorAll("#health tbody tr").length > 0, null, { what: "the health table" });
    await recordOutputs(page);
    let rows = await rowData(page);
    assert.equal(Object.keys(rows).length, 11, "the 10 planned apps and the one the plan no longer has");
    assert.equal(rows["lucs-webconfigurator"].secrets[0].state, "expired");
    assert.match(rows["lucs-webconfigurator"].text, /expired on .* days ago/);
    assert.equal(rows["lucs-cic"].secrets[0].state, "expiring");
    assert.match(rows["lucs-cic"].text, /expires on .* \(in (9|10) days\)/);
    assert.equal(rows["lucs-ci-2"].permissions, "drifted");
    assert.match(rows["lucs-ci-2"].text, /missing: Calendars\.Read/);
    assert.equal(rows["lucs-fe"].consent, "missing");
    assert.match(rows["lucs-ci-1"].text, /granted by hand: .*Sites\.Read\.All/);
    assert.equal(rows["lucs-galreader"].owners, "0");
    assert.match(rows["lucs-galreader"].text, /none/);
    assert.equal(rows["lucs-legacy"].inPlan, "false");
    assert.match(rows["lucs-legacy"].text, /No longer in the plan/);
    for (const key of ["lucs-cr-1", "lucs-cr-2"]) assert.equal(rows[key].permissions, "asPlanned", key);

    // The report as files.
    const csv = await downloadWith(page, "#health-csv");
    assert.equal(csv.trimEnd().split("\r\n").length, 12, "a header and 11 apps");
    const json = JSON.parse(await downloadWith(page, "#health-json"));
    assert.equal(json.applications.length, 11);
    // Expired, expiring, drifted, consent revoked, granted by hand, not in the plan.
    assert.equal(json.attention, 6);
    assert.match(await page.evaluate(() => document.getElementById("summary").textContent), new RegExp(`^6 of 11 apps need attention · checked .* · ${json.roundTrips} round trip`));

    // The sheet: every app's Application ID and the tenant's Directory ID; the 4 registered secrets still wait.
    const state = await world.state();
    const sheet = await page.evaluate(() => [...document.querySelectorAll("#sheet tbody tr")].map((tr) => ({ key: tr.dataset.key, cells: [...tr.cells].map((c) => c.querySelector("code")?.textContent ?? c.textContent) })));
    assert.equal(sheet.length, 10);
    for (const r of sheet) {
      assert.equal(r.cells[1], state.applications.find((a) => a.uniqueName === r.key).appId, r.key);
      assert.equal(r.cells[2], state.tenantId);
    }
    const held = await waiting(page);
    assert.equal(sheet.filter((r) => r.cells[3]).length, held.length, "a secret only where one waits");
    const plain = await copyWith(page, "#sheet-copy");
    assert.ok(plain.includes(state.tenantId) && !held.some((s) => plain.includes(s.secretText)), "no secret unless ticked");
    await set(page, "#sheet-secrets", true);
    const withSecrets = await copyWith(page, "#sheet-copy");
    assert.ok(held.every((s) => withSecrets.includes(s.secretText)), "the secrets when ticked");
    assert.equal(await page.evaluate(() => document.body.dataset.printSecrets), "true");

    // Renewal, step one: the policy, then the new secret beside the old.
    const before = rows["lucs-cic"].secrets.map((s) => s.keyId);
    await click(page, '#health tr[data-key="lucs-cic"] button.renew');
    await waitFor(page, () => document.getElementById("renew-months")?.options.length > 0, null, { what: "the lifetimes offered" });
    assert.deepEqual(await page.evaluate(() => [...document.getElementById("renew-months").options].map((o) => o.value)), ["3", "6", "12", "18", "24"]);
    assert.equal(await page.evaluate(() => document.getElementById("renew-policy").dataset.readable), "true");
    await set(page, "#renew-months", "6");
    let since = Date.now();
    await click(page, "#renew-add");
    await checked(page, since);
    await waitFor(page, () => document.querySelectorAll("#renew-secrets li").length === 2, null, { what: "both secrets shown" });
    rows = await rowData(page);
    assert.equal(rows["lucs-cic"].secrets.length, 2, "two secrets after step one");
    const added = rows["lucs-cic"].secrets.map((s) => s.keyId).find((k) => !before.includes(k));
    assert.ok(added, "the new secret's key id");
    assert.equal(await page.evaluate(() => document.querySelectorAll("button.retire:disabled").length), 1, "removing the old one waits for the admin's word");
    // Each key's last sign-in (Graph's beta report): the old one in use an hour ago, the new one not yet.
    const signIns = () => page.evaluate(() => Object.fromEntries([...document.querySelectorAll("#renew-secrets li")].map((li) => [li.className, { at: li.dataset.lastSignIn, text: li.textContent }])));
    await waitFor(page, () => document.getElementById("renew-activity")?.dataset.readable === "true", null, { what: "the last sign-ins" });
    let seen = await signIns();
    assert.ok(seen.old.at && Date.now() - Date.parse(seen.old.at) < 2 * 3600_000, JSON.stringify(seen));
    assert.match(seen.old.text, /last sign-in/);
    assert.equal(seen.new.at, "");
    assert.match(seen.new.text, /no sign-in recorded/);
    // LUCS switched: the new key signs in, and the page shows it when asked again.
    await world.post("/sandbox/sign-in", { keyId: added });
    await click(page, "#renew-activity-read");
    await waitFor(page, () => document.querySelector("#renew-secrets li.new").dataset.lastSignIn !== "", null, { what: "the new key's sign-in" });
    seen = await signIns();
    assert.ok(Date.parse(seen.new.at) > Date.parse(seen.old.at), "the switch is seen before the old one is removed");
    // The new secret waits like a registered one: in storage.session, on the results page, never in storage.local.
    const nowHeld = await waiting(page);
    const fresh = nowHeld.find((s) => s.keyId === added);
    assert.ok(fresh && fresh.key === "lucs-cic" && fresh.secretText.length > 10);
    const local = await page.evaluate(async () =>
      JSON.stringify(await (globalThis.browser ?? globalThis.chrome).storage.local.get(null)));
    assert.ok(!local.includes(fresh.secretText), "storage.local never holds the secret");
    assert.ok(local.includes(added), "the renewal's journal is kept, naming the new key id");
    const shownNew = await page.evaluate(() => document.querySelector("#renew-secrets li.new").textContent);
    assert.ok(shownNew.includes(`${fresh.secretText.slice(0, 3)}…`) && !shownNew.includes(fresh.secretText), "the new secret by its hint, never its text");
    const results = await suite.extensionPage("results.html");
    await waitFor(results, (k) => [...document.querySelectorAll("#secrets tbody tr")].some((tr) => tr.dataset.keyId === k), added, { what: "the new secret on the results page" });
    await results.close();
    await waitFor(page, (k) => document.querySelector('#sheet tr[data-key="lucs-cic"]')?.textContent.includes(k), fresh.secretText, { what: "the new secret on the sheet" });

    // Step two, on its own: ticked, then clicked.
    await set(page, "#retire-confirm", true);
    since = Date.now();
    await click(page, "button.retire");
    await checked(page, since);
    rows = await rowData(page);
    assert.deepEqual(rows["lucs-cic"].secrets.map((s) => s.keyId), [added], "one secret after step two: the new one");
    assert.equal(await count(page, ".retired"), 1);

    // A message without the admin's confirmation is refused.
    const refused = await send(page, { type: "retireSecret", tid: state.tenantId, key: "lucs-cic", keyId: added, confirmed: false });
    assert.equal(refused.field, "confirmed");

    // A policy set after the lifetimes were offered: Graph refuses, the page says why, nothing is added.
    await click(page, '#health tr[data-key="lucs-webconfigurator"] button.renew');
    await waitFor(page, () => document.getElementById("renew-months")?.options.length === 5, null, { what: "every lifetime offered" });
    await world.post("/sandbox/app-policy", { maxDays: 180 });
    await set(page, "#renew-months", "12");
    await click(page, "#renew-add");
    await waitFor(page, () => document.querySelector("#renew-error .error") !== null, null, { what: "the refusal" });
    assert.match(await page.evaluate(() => document.getElementById("renew-error").textContent), /polic/i);
    assert.equal((await world.state()).applications.find((a) => a.uniqueName === "lucs-webconfigurator").secrets, 1, "nothing added");
    assert.equal((await waiting(page)).length, nowHeld.length, "no secret handed over");

    // A 180-day policy read before: only 3 months are offered.
    await click(page, '#health tr[data-key="lucs-cic"] button.renew');
    await waitFor(page, () => document.getElementById("renew-months")?.options.length === 1, null, { what: "one lifetime offered" });
    assert.deepEqual(await page.evaluate(() => [...document.getElementById("renew-months").options].map((o) => o.value)), ["3"]);
    assert.match(await page.evaluate(() => document.getElementById("renew-policy").textContent), /the tenant default/);
    await world.post("/sandbox/app-policy", {});
    await page.close();
    await popup.close();
    await portal.close();
  });
});
