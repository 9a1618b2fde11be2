// The background's start lock: one run at a time, however close together two confirmations arrive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { StartLock } from "../../extension/runlock.js";

test("a second claim is refused while the first is held, and names nothing of its own", () => {
  const lock = new StartLock();
  const register = lock.claim("register");
  assert.ok(register);
  assert.equal(lock.holder, "register");
  assert.equal(lock.claim("apply"), null, "an Apply confirmed in the same moment is refused");
  assert.equal(lock.claim("rollback"), null);
  assert.equal(lock.holder, "register", "the refused claim did not take the lock");
  register.release();
  assert.equal(lock.holder, null);
  const apply = lock.claim("apply");
  assert.ok(apply);
  assert.equal(lock.holder, "apply");
});

test("releasing twice, or releasing a stale claim, never frees a newer claim", () => {
  const lock = new StartLock();
  const first = lock.claim("register");
  first.release();
  const second = lock.claim("apply");
  first.release();
  assert.equal(lock.holder, "apply");
  assert.equal(lock.claim("register"), null);
  second.release();
  second.release();
  assert.equal(lock.holder, null);
});

test("two confirmations racing through awaits: exactly one starts", async () => {
  const lock = new StartLock();
  const started = [];
  // Each handler claims first, then awaits (reading kept journals, reading the portal tab's route back) before it
  // starts its run — the window in which the other handler runs.
  const handler = async (job) => {
    const claim = lock.claim(job);
    if (!claim) return `refused ${job}`;
    await new Promise((r) => setTimeout(r, 5));
    started.push(job);
    return `started ${job}`;
  };
  const answers = await Promise.all([handler("register"), handler("apply")]);
  assert.deepEqual(answers, ["started register", "refused apply"]);
  assert.deepEqual(started, ["register"]);
});
