// A run's rules, from the data alone (no browser API, no Wasm), for the background and node tests: which stopped
// run a Register goes on from, what a run record may show of a report (never a secret's text), and what Apply may
// discard to start.
import { STATUS, isActive, isResumable } from "./status.js";

// Arrays keep their order (a plan's order is the order of its writes); objects are compared whatever order their
// keys were written in, which JSON.stringify of two plans does not do.
function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
  }
  return value;
}

/**
 * What `plan` asks of Graph, app by app (by key): the application body, its permissions, grants, role assignments,
 * consent, secret and target. The words that only describe it (warnings, component names, profile) are left out:
 * a plan whose warnings are worded anew still asks the same.
 */
export function planRequests(plan) {
  const apps = Array.isArray(plan?.applications) ? plan.applications : [];
  return apps
    .map((a) => canonical({
      key: a.key, application: a.application, permissions: a.permissions, delegatedGrants: a.delegatedGrants,
      appRoleAssignments: a.appRoleAssignments, grantAdminConsent: a.grantAdminConsent, createSecret: a.createSecret,
      secretLifetimeMonths: a.secretLifetimeMonths, targetAppId: a.targetAppId ?? null,
    }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

/** Whether two plans ask Graph for the same things. */
export function sameRequests(a, b) {
  return JSON.stringify(planRequests(a)) === JSON.stringify(planRequests(b));
}

/**
 * The stopped run a Register of `plan` in `tid` goes on from ({ id, startedAt, journal }), or null for a fresh run.
 * Only a Register that stopped or was cancelled, in this tenant, asking the same of Graph: a rolled-back run's
 * journal names apps that no longer exist, a finished one has nothing left to do, an Apply is another job.
 */
export function resumeOf(run, { tid, plan }) {
  if (!isResumable(run) || run.job !== "register" || run.tid !== tid || !sameRequests(run.plan, plan)) return null;
  return { id: run.id, startedAt: run.startedAt, journal: run.journal };
}

/**
 * A finished run's report as the run record keeps it: without `secrets`, whose text waits in storage.session alone
 * (handover.js) and is shown once, on the results page, until the admin marks it stored.
 */
export function shownReport(report) {
  const { secrets: _waitInSession, ...shown } = report ?? {};
  return shown;
}

/**
 * Why Apply may not start beside `run`, as the word key the confirmation window shows, or null. A run going is
 * never discarded; a stopped or cancelled one (resumable by Register) only when the admin ticked to discard it.
 * A finished or rolled-back run has nothing to lose.
 */
export function applyRefusal(run, { discardStopped }) {
  if (isActive(run)) return "runGoing";
  if (isResumable(run) && discardStopped !== true) return "applyStoppedRun";
  return null;
}

/** Whether the kept entry `entry` may be rolled back: it exists and was not already. */
export function rollbackRefusal(entry) {
  if (!entry) return "noSuchRun";
  if (entry.status === STATUS.rolledBack) return "alreadyRolledBack";
  return null;
}
