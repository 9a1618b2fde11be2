// One run at a time. A run is claimed before the first `await` between the decision to start it and its start
// (reading the kept journals, reading the portal tab's route back), so two confirmations made in the same moment —
// an Apply in its window and a Register in the popup — cannot both pass the "nothing is running" check and then
// write into one run record. The claim is held until the run ends (finished, stopped, cancelled) or a rollback is
// done. Pure, for the background and for node tests.

export class StartLock {
  #held = null;

  /** A claim for `what` (the job: "register", "apply", "rollback"), or null while another claim is held. */
  claim(what) {
    if (this.#held) return null;
    const claim = {
      what,
      // Idempotent, and a stale claim never frees a newer one.
      release: () => {
        if (this.#held === claim) this.#held = null;
      },
    };
    this.#held = claim;
    return claim;
  }

  /** The job holding the lock, or null. */
  get holder() {
    return this.#held?.what ?? null;
  }
}
