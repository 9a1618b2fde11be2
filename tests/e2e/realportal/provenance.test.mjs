// Nothing in the tenant is the tool's until it made it: a member who registers an app under one of the plan's keys
// (any member may, and may set its uniqueName) must not be handed the plan's permissions and consent by a Register.
// The popup shows such an app with its owners and credentials, writes nothing to it — nor anything else — until the
// admin adopts it, and says so in the results; the admin's own apps from earlier runs (their journals kept) are
// never questioned.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eachBrowser } from "./suite.mjs";
import { APP_REGISTRATIONS, assertFullSet, click, count, prepare, preview, registerAndWait, set, text, visible, waitFor, waitStatus } from "./steps.mjs";

const MALLORY = { ownerUpn: "mallory@contoso.example", ownerName: "Mallory Member" };

eachBrowser((suite) => {
  before(() => suite.start());
  after(() => suite.stop());

  test(`${suite.name}: a squatted key is shown with its owners and credentials; Register writes nothing until it is adopted, and the results say it was`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    // A member registers an app under the Frontend's key and gives it a secret of their own.
    const squat = await world.post("/sandbox/member-app", { uniqueName: "lucs-fe", displayName: "LUCS Frontend of the Web Application", ...MALLORY });
    const added = await world.graph("POST", `/applications/${squat.id}/addPassword`, { passwordCredential: { displayName: "mallory" } });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    const { keyId, hint, secretText } = added.body;
    const { tenantId } = await world.state();
    const portal = await suite.portal("portal", APP_REGISTRATIONS);
    const popup = await suite.popup();
    await preview(popup);

    // The preview: the squat flagged, its owner named and flagged, its secret by key ID and hint — never its text.
    assert.equal(await count(popup, "#drift > li.foreign"), 1);
    const shown = await text(popup, "#drift > li.foreign");
    assert.match(shown, /LUCS Frontend of the Web Application/);
    assert.match(shown, /Mallory Member <mallory@contoso\.example> \(not you\)/);
    assert.match(shown, new RegExp(`key ID ${keyId}`));
    assert.match(shown, new RegExp(`hint ${hint}`));
    assert.match(shown, /not made by this tool/);
    assert.ok(!(await popup.evaluate(() => document.body.textContent)).includes(secretText), "a secret's text is never shown");
    assert.ok(await popup.evaluate(() => [...document.querySelectorAll("#drift > li.foreign bdi")].some((b) => b.textContent.includes("Mallory"))), "owner names are bidi-isolated");
    assert.equal(await visible(popup, "#adopt-row"), true);
    await set(popup, "#confirm", true);
    assert.equal(await popup.evaluate(() => document.getElementById("register").disabled), true, "no Register before adopting");
    await set(popup, "#adopt", true);
    assert.equal(await popup.evaluate(() => document.getElementById("confirm").checked), false, "adopting asks for the confirmation again");
    assert.match(await text(popup, "#confirm-text"), new RegExp(`tenant ID ${tenantId}: 10 apps, .+, and adopt LUCS Frontend of the Web Application \\(lucs-fe\\)$`));
    await set(popup, "#confirm", true);

    // The attack: another member takes the Agent Controller's key after the preview was made.
    await world.post("/sandbox/member-app", { uniqueName: "lucs-ac", displayName: "LUCS Agent Controller", ...MALLORY });
    const before = (await world.state()).applications;
    await click(popup, "#register");
    const stopped = await suite.waitRun((r) => r?.status === "stopped");
    assert.equal(stopped.stopKind, "foreignApps");
    assert.deepEqual(stopped.foreign.map((e) => e.key), ["lucs-ac"]);
    assert.deepEqual((await world.state()).applications, before, "nothing was written: not to the squats, not anything else");

    // The stop is shown as the preview shows such apps, with the same adopt choice, in the admin's words.
    await waitStatus(popup, /^Stopped: 1 app\(s\) under this plan's keys were not made by this tool for you/);
    await waitFor(popup, () => document.querySelectorAll("#drift > li.foreign").length === 1 && /LUCS Agent Controller/.test(document.querySelector("#drift > li.foreign").textContent) &&
      !document.getElementById("adopt-row").hidden, null, { what: "the stop with the adopt choice" });
    assert.match(await text(popup, "#drift > li.foreign"), /Mallory Member <mallory@contoso\.example> \(not you\)/);
    assert.equal(await popup.evaluate(() => document.getElementById("register").disabled), true, "not again without adopting");
    await set(popup, "#adopt", true);
    await set(popup, "#confirm", true);
    await registerAndWait(popup);

    const state = await world.state();
    assertFullSet(state);
    const fe = state.applications.find((a) => a.uniqueName === "lucs-fe");
    assert.equal(fe.objectId, squat.id, "the adopted app is the squat itself, not a new one");
    assert.ok(fe.requiredResourceAccess.length > 0, "written to once adopted");
    assert.match(await text(popup, "#adopted"), /^Adopted \(made by others, now written to\): LUCS Agent Controller \(lucs-ac\), .*LUCS Frontend of the Web Application \(lucs-fe\)$/);
    const done = await suite.waitRun((r) => r?.status === "done");
    assert.deepEqual(done.report.applications.filter((a) => a.adopted).map((a) => a.key).sort(), ["lucs-ac", "lucs-fe"]);
    await popup.close();
    await portal.close();
  });

  test(`${suite.name}: a re-run over the admin's own apps, their journals kept, questions none of them`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    const portal = await suite.portal("portal", APP_REGISTRATIONS, { fresh: true });
    let popup = await suite.popup();
    await prepare(popup);
    await registerAndWait(popup);
    await popup.close();
    // Four of the apps now hold a secret this tool made: only a kept journal says so.
    popup = await suite.popup();
    await preview(popup);
    assert.equal(await count(popup, "#drift > li"), 10);
    assert.equal(await count(popup, "#drift > li .existing.ours"), 10, "each app exists and is the tool's own");
    assert.match(await text(popup, "#drift"), /exists — created .+, owners: .+, 1 secret\(s\)/);
    assert.equal(await count(popup, "#drift > li.foreign"), 0);
    assert.equal(await visible(popup, "#adopt-row"), false, "nothing to adopt, nothing asked");
    await set(popup, "#confirm", true);
    await registerAndWait(popup);
    const run = await suite.waitRun((r) => r?.status === "done");
    assert.equal(run.report.applications.filter((a) => a.adopted).length, 0);
    assertFullSet(await world.state());
    await popup.close();
    await portal.close();
  });
});
