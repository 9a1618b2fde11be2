// Kept journals: the last runs' journals, newest first. They keep an earlier run rollback-able after the next
// Register or Apply, and they tell later runs what this tool made and what the admin adopted (passed to verify and
// register as `journals`), so the admin's own apps are not questioned again. A journal names objects and key ids
// only, never a secret or a token (DESIGN, security invariants; src/engine/journal.rs), so the list may live in
// storage.local and outlive the browser session; `holdsNoSecret` checks that before anything is kept. Pure, for
// the background, the popup and node tests.

import { STATUS } from "./runs/status.js";

export const KEEP = 5;

/** Whether a journal records something this tool made or changed; a run that wrote nothing gets no row. */
export function wroteSomething(journal) {
  return (journal?.apps ?? []).some((a) =>
    a.appDone || (a.existed === false && a.objectId) || a.servicePrincipalCreated || a.secretKeyId ||
    (a.grants ?? []).length > 0 || (a.assignments ?? []).length > 0);
}

// A client secret's text is only ever a report's `secretText`; a token is a JWT, whose header always starts with
// "eyJ" (base64url of '{"').
export function holdsNoSecret(journal) {
  const text = JSON.stringify(journal ?? null);
  return !/secretText|"eyJ/.test(text);
}

const isEntry = (e) =>
  e && typeof e === "object" && typeof e.id === "string" && typeof e.tid === "string" && Number.isFinite(e.at) &&
  typeof e.job === "string" && typeof e.status === "string" && e.journal && Array.isArray(e.journal.apps);

/** The entries of a stored list that have the expected shape (anything else in storage is dropped). */
export function valid(list) {
  return Array.isArray(list) ? list.filter(isEntry) : [];
}

/**
 * The list with `entry` ({ id, at, tid, job, status, journal, plan? }) in it — the plan of a run, so the health
 * page knows what the tenant's installation should be: the same run's entry is replaced where it stands (a resumed
 * run keeps its place and start time); a new run goes first; at most `max` registrations and `max` renewals, newest
 * first. A journal that wrote nothing, or that would put a secret into storage, leaves the list as it is.
 */
export function keep(list, entry, max = KEEP) {
  const current = valid(list);
  if (!isEntry(entry) || !holdsNoSecret(entry.journal)) return current;
  const before = current.find((e) => e.id === entry.id);
  if (!before && !wroteSomething(entry.journal)) return current;
  const merged = { ...before, ...entry, at: before?.at ?? entry.at };
  const others = current.filter((e) => e.id !== entry.id);
  const newest = [merged, ...others].sort((a, b) => b.at - a.at);
  // Each shelf keeps its own `max`: renewing secrets a few times must not push out the registration whose journal
  // says which apps this tool made (without it, they would be questioned as foreign again).
  const seen = new Map();
  return newest.filter((e) => {
    const n = (seen.get(shelf(e.job)) ?? 0) + 1;
    seen.set(shelf(e.job), n);
    return n <= max;
  });
}

/** Registrations (Register, Apply) share one shelf; a secret's renewal, which makes no app, has its own. */
const shelf = (job) => (job === "renew" ? "renew" : "runs");

/** The list after the run `id` was rolled back: still listed, with what the rollback did, and no longer offered. */
export function markRolledBack(list, id, { at, deleted = [], failed = [], refused = [] }) {
  return valid(list).map((e) => (e.id === id
    ? {
      ...e,
      status: STATUS.rolledBack,
      rolledBack: { at, deleted: deleted.length, failed: failed.length, refused: refused.length },
    }
    : e));
}

/**
 * The journals a run in tenant `tid` is told about. A rolled-back run undid what it made and adopted, so it no
 * longer vouches for anything.
 */
export function journalsFor(list, tid) {
  return valid(list).filter((e) => e.tid === tid && e.status !== STATUS.rolledBack).map((e) => e.journal);
}

/**
 * What the popup lists per kept run: when, where, what and how many apps — never the journal itself. `active` is
 * the id of the run going now (it cannot be rolled back while it runs); a run left "running" by a browser that
 * closed is "interrupted".
 */
export function rows(list, active = null) {
  return valid(list).map((e) => {
    const status = e.status === STATUS.running && e.id !== active ? STATUS.interrupted : e.status;
    return {
      id: e.id,
      at: e.at,
      tid: e.tid,
      job: e.job,
      status,
      apps: e.journal.apps.length,
      created: e.journal.apps.filter((a) => a.existed === false && a.objectId).length,
      adopted: e.journal.apps.filter((a) => a.adopted).length,
      // A renewal's journal records a new secret on an app that stays (rollback deletes only what a journal says
      // it created): rolling it back would do nothing, so it is not offered. Its old secret is removed on the
      // Health page, as its own step.
      canRollBack: status !== STATUS.rolledBack && e.id !== active && e.job !== "renew",
    };
  });
}
