// The confirmation window ignores input for a moment after it appears, after it gets the focus back and after its
// checkbox is ticked. A window that opens under the pointer (the portal's Apply pressed twice, a page that makes the
// user click fast at a spot where the window will open) must not take those clicks as a decision: that is
// clickjacking by timing, which browsers counter the same way — Firefox keeps a permission prompt's buttons
// disabled for a moment after it shows (security.notification_enable_delay, 500 ms), Chromium ignores clicks on its
// dialogs' buttons until they have been shown long enough (InputEventActivationProtector). Pure, for node tests.

export const HOLD_MS = 1000;

export class InputGate {
  #until = 0;

  constructor(holdMs = HOLD_MS, now = () => Date.now()) {
    this.holdMs = holdMs;
    this.now = now;
  }

  /** Ignore input for the next `holdMs` (never shortens a hold already running). Returns when input opens. */
  hold() {
    this.#until = Math.max(this.#until, this.now() + this.holdMs);
    return this.#until;
  }

  /** Whether input counts now. */
  get open() {
    return this.now() >= this.#until;
  }

  /** Milliseconds until input counts (0 when it does). */
  get remaining() {
    return Math.max(0, this.#until - this.now());
  }
}
