// A run's statuses: one frozen set, and the two questions every page asks of a run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { STATUS, isActive, isResumable, isStatus } from "../../extension/runs/status.js";

const journal = { apps: [{ key: "a", appDone: true }] };

test("the set is frozen and each value is its own name", () => {
  assert.ok(Object.isFrozen(STATUS));
  assert.throws(() => {
    STATUS.running = "go";
  }, TypeError);
  for (const [name, value] of Object.entries(STATUS)) assert.equal(value, name);
  assert.deepEqual(Object.keys(STATUS).sort(), ["cancelled", "done", "interrupted", "rolledBack", "running", "stopped", "waitingToken"]);
});

test("isStatus knows the set and nothing else", () => {
  for (const s of Object.values(STATUS)) assert.ok(isStatus(s));
  for (const s of ["Running", "failed", "", null, undefined, 1, "toString"]) assert.equal(isStatus(s), false, String(s));
});

test("a run is active while it writes or waits for a token, in no other status", () => {
  assert.equal(isActive({ status: STATUS.running }), true);
  assert.equal(isActive({ status: STATUS.waitingToken }), true);
  for (const s of [STATUS.done, STATUS.stopped, STATUS.cancelled, STATUS.rolledBack, STATUS.interrupted]) {
    assert.equal(isActive({ status: s, journal }), false, s);
  }
  assert.equal(isActive(null), false);
  assert.equal(isActive(undefined), false);
});

test("only a stopped or cancelled run with a journal is resumable", () => {
  assert.equal(isResumable({ status: STATUS.stopped, journal }), true);
  assert.equal(isResumable({ status: STATUS.cancelled, journal }), true);
  assert.equal(isResumable({ status: STATUS.stopped, journal: null }), false, "nothing written, nothing to go on from");
  assert.equal(isResumable({ status: STATUS.cancelled }), false);
  for (const s of [STATUS.running, STATUS.waitingToken, STATUS.done, STATUS.rolledBack, STATUS.interrupted]) {
    assert.equal(isResumable({ status: s, journal }), false, s);
  }
  assert.equal(isResumable(null), false);
});
