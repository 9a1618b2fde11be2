// The confirmation window's input gate, on a clock the test moves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HOLD_MS, InputGate } from "../../extension/gate.js";

test("input counts only a second after the window is shown, focused or its checkbox ticked", () => {
  let now = 10_000;
  const gate = new InputGate(HOLD_MS, () => now);
  assert.equal(gate.open, true, "nothing held before the window is shown");
  gate.hold();
  assert.equal(gate.open, false);
  now += 300;
  assert.equal(gate.open, false, "a click 300 ms after the window appeared is ignored");
  assert.equal(gate.remaining, 700);
  now += 700;
  assert.equal(gate.open, true);
  assert.equal(gate.remaining, 0);
});

test("a new hold extends the gate and never shortens it", () => {
  let now = 0;
  const gate = new InputGate(1000, () => now);
  gate.hold();
  now = 900;
  gate.hold();
  now = 1500;
  assert.equal(gate.open, false, "focused again at 900 ms: held until 1900 ms");
  now = 1900;
  assert.equal(gate.open, true);
  const short = new InputGate(100, () => now);
  short.hold();
  short.holdMs = 10;
  short.hold();
  assert.equal(short.remaining, 100);
});
