// A run's status, one closed set for the background, the popup, the confirmation window and the kept journals.
// Pure (no browser API), so node tests and every page import the same words; the values are also what is stored in
// storage.session and storage.local and the `kept_<status>` / popup word keys, so they never change spelling.

export const STATUS = Object.freeze({
  /** Writing to Graph now. */
  running: "running",
  /** Going, but paused until the portal hands over a usable token. */
  waitingToken: "waitingToken",
  /** Finished: every planned step done. */
  done: "done",
  /** Ended by an error or a refusal before the end; its journal can be resumed or rolled back. */
  stopped: "stopped",
  /** Ended by the admin; like stopped, resumable. */
  cancelled: "cancelled",
  /** What it made was deleted again: its journal vouches for nothing any more. */
  rolledBack: "rolledBack",
  /** A kept journal left "running" by a browser or worker that closed: only ever shown, never stored by a run. */
  interrupted: "interrupted",
});

const ALL = new Set(Object.values(STATUS));

/** Whether `status` is one of the set (stored records are checked before they are trusted). */
export const isStatus = (status) => ALL.has(status);

/** Whether `run` is going: writing, or waiting for a token to go on writing. */
export const isActive = (run) => Boolean(run) && (run.status === STATUS.running || run.status === STATUS.waitingToken);

/**
 * Whether `run` ended early with a journal to go on from: stopped or cancelled. A rolled-back run's journal names
 * apps that no longer exist, and a finished one has nothing left to do.
 */
export const isResumable = (run) =>
  Boolean(run) && (run.status === STATUS.stopped || run.status === STATUS.cancelled) && Boolean(run.journal);
