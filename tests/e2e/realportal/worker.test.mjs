// Chromium only: the browser may stop the extension's service worker at any time; a run picks up from its journal.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eachBrowser } from "./suite.mjs";
import { APP_REGISTRATIONS, assertFullSet, click, count, prepare, waitStatus } from "./steps.mjs";

eachBrowser((suite) => {
  before(() => suite.start());
  after(() => suite.stop());

  test(`${suite.name}: closing the popup mid-run changes nothing; stopping the worker mid-run resumes from the journal`, async () => {
    const { world } = suite;
    await world.post("/sandbox/reset", {});
    await world.post("/sandbox/faults", { replicationMs: 1500 });
    const portal = await suite.portal("portal", APP_REGISTRATIONS);
    try {
      const popup = await suite.popup();
      await prepare(popup);
      await click(popup, "#register");
      await waitStatus(popup, /Registering/);
      await popup.close();
      await suite.stopWorker();
      const reopened = await suite.popup();
      await waitStatus(reopened, /Done/);
      const run = await suite.waitRun((r) => r?.status === "done");
      assert.ok(run.restarts >= 1, "the restarted worker resumed the run from its journal");
      assert.equal(await count(reopened, "#results tbody tr"), 10);
      assertFullSet(await world.state());
      await reopened.close();
    } finally {
      await world.post("/sandbox/faults", { replicationMs: 0 });
    }
    await portal.close();
  });
}, { only: ["chromium"] });
