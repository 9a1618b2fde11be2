// At registration the popup offers only the client secret lifetimes the tenant's app management policy allows:
// with a 180-day default policy a 12-month secret cannot be chosen, the note names the policy and its limit, and
// the plan the background makes asks for the lifetime chosen. Lifted, every lifetime is offered again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eachBrowser } from "./suite.mjs";
import { APP_REGISTRATIONS, popupReady, set, waitFor } from "./steps.mjs";

eachBrowser((suite) => {
  before(() => suite.start());
  after(() => suite.stop());

  const offered = (popup) => popup.evaluate(() => [...document.getElementById("lifetime").options].map((o) => o.value));
  const planned = (popup) => popup.evaluate(async () => {
    const { choice } = await (globalThis.browser ?? globalThis.chrome).storage.session.get("choice");
    return [...new Set(choice.plan.applications.filter((a) => a.createSecret).map((a) => a.secretLifetimeMonths))];
  });
  const policyRead = (popup) => waitFor(popup, () => document.getElementById("lifetime-note").dataset.readable === "true", null, { what: "the policy read by pre-flight" });

  test(`${suite.name}: a 180-day policy makes a 12-month secret impossible to choose in the popup`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    await world.post("/sandbox/app-policy", { maxDays: 180 });
    const portal = await suite.portal("portal", APP_REGISTRATIONS, { fresh: true });
    let popup = await suite.popup();
    await popupReady(popup);
    await policyRead(popup);
    // Six calendar months can be 184 days: only 3 fit under 180 days.
    assert.deepEqual(await offered(popup), ["3"]);
    assert.match(await popup.evaluate(() => document.getElementById("lifetime-note").textContent), /tenant default.*at most 180 days/);
    await waitFor(popup, async () => {
      const { choice } = await (globalThis.browser ?? globalThis.chrome).storage.session.get("choice");
      return choice.plan.applications.filter((a) => a.createSecret).every((a) => a.secretLifetimeMonths === 3);
    }, null, { what: "the plan made again with 3 months" });
    assert.deepEqual(await planned(popup), [3]);
    // No secret without a lifetime: unticking secrets leaves nothing to choose.
    await set(popup, "#secrets", false);
    assert.equal(await popup.evaluate(() => document.getElementById("lifetime").disabled), true);
    await set(popup, "#secrets", true);
    assert.equal(await popup.evaluate(() => document.getElementById("lifetime").disabled), false);
    await popup.close();

    // Lifted: every preset again, 12 months by default.
    await world.post("/sandbox/app-policy", {});
    popup = await suite.popup();
    await popupReady(popup);
    await policyRead(popup);
    assert.deepEqual(await offered(popup), ["3", "6", "12", "18", "24"]);
    assert.equal(await popup.evaluate(() => document.getElementById("lifetime").value), "12");
    assert.match(await popup.evaluate(() => document.getElementById("lifetime-note").textContent), /does not limit/);
    await set(popup, "#lifetime", "24");
    await waitFor(popup, async () => {
      const { choice } = await (globalThis.browser ?? globalThis.chrome).storage.session.get("choice");
      return choice.plan.applications.filter((a) => a.createSecret).every((a) => a.secretLifetimeMonths === 24);
    }, null, { what: "the plan with the lifetime chosen" });
    await popup.close();
    await portal.close();
  });
});
