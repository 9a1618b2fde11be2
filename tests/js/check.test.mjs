// The last check's discovery, as the background keeps it for a Register straight after it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { keepCheck, takeCheck } from "../../extension/check.js";

/** A storage area with get/set/remove, like storage.session. */
function area() {
  const data = {};
  return {
    data,
    async get(key) { return key in data ? { [key]: structuredClone(data[key]) } : {}; },
    async set(items) { Object.assign(data, structuredClone(items)); },
    async remove(key) { delete data[key]; },
  };
}

const discovery = { tenantId: "t1", takenAt: 1, requests: ["/applications(uniqueName='lucs-fe')"], replies: [] };
const drift = { applications: [], create: 1, change: 0, ok: 0, foreign: 0, discovery };

test("the popup gets the report it always had; the discovery stays in the background's session storage", async () => {
  const storage = area();
  const shown = await keepCheck(storage, "t1", drift);
  assert.deepEqual(shown, { applications: [], create: 1, change: 0, ok: 0, foreign: 0 });
  assert.deepEqual(storage.data.check, { tid: "t1", discovery });
});

test("a Register takes the check of its own tenant, once", async () => {
  const storage = area();
  await keepCheck(storage, "t1", drift);
  assert.deepEqual(await takeCheck(storage, "t1"), discovery);
  assert.equal(await takeCheck(storage, "t1"), null, "used up by the run that started from it");
});

test("another tenant's check is not handed over, and is dropped", async () => {
  const storage = area();
  await keepCheck(storage, "t1", drift);
  assert.equal(await takeCheck(storage, "t2"), null);
  assert.equal(await takeCheck(storage, "t1"), null);
});

test("a check without a discovery (a token that did not name its tenant) forgets the one before", async () => {
  const storage = area();
  await keepCheck(storage, "t1", drift);
  const { discovery: _none, ...without } = drift;
  assert.deepEqual(await keepCheck(storage, "t1", without), without);
  assert.equal(await takeCheck(storage, "t1"), null);
});
