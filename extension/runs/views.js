// What the pages draw, made by the background from what it alone holds: the plan of the choice, the last check, the
// run going and the kept runs. The background keeps these views in storage.session beside its own records; the
// popup and the confirmation window read them and never see a plan, so there is one plan, the background's, and
// no page can compare, keep or send back a stale copy. Pure (no browser API, no Wasm), for the background and node
// tests: a view holds words, counts, keys and names, never an application body, a grant or a journal.
import { rows as keptRows } from "../journals.js";
import { foreignApps } from "../standing.js";
import { appProgress, grantCounts, madeNothing, rollbackTargets } from "./model.js";
import { planRequests } from "./rules.js";
import { STATUS, isActive } from "./status.js";

// cyrb53 (a public-domain 53-bit string hash): short ids for "asks the same of Graph", so two views can be matched
// without either holding the requests. A collision could only show a stop's apps or "nothing changed" beside
// another plan's choice; what is written is decided by the background's own comparison (rules.js, sameRequests).
function hash53(text) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** An id of what `plan` asks of Graph: equal for two plans exactly when rules.js's sameRequests says they do. */
export const requestsId = (plan) => hash53(JSON.stringify(planRequests(plan)));

const names = (plan) => new Map((plan?.applications ?? []).map((a) => [a.key, a.displayName]));
const valuesOf = (a, kind) => (a.permissions ?? []).filter((p) => p.kind === kind).map((p) => p.value);

/**
 * The choice as the popup draws it: its id (every later message names it), the request it was made from, what it
 * grants per app (permission names by kind, consent, secret and lifetime), the grants counted, and the core's
 * warning objects (words, said in the admin's language by the popup).
 */
export function choiceView({ id, request, plan }) {
  return {
    id,
    request,
    requests: requestsId(plan),
    counts: grantCounts(plan),
    warnings: plan.warnings ?? [],
    apps: plan.applications.map((a) => ({
      key: a.key,
      displayName: a.displayName,
      component: a.component,
      delegatedNames: valuesOf(a, "delegated"),
      applicationNames: valuesOf(a, "application"),
      grantAdminConsent: a.grantAdminConsent,
      createSecret: a.createSecret,
      secretLifetimeMonths: a.secretLifetimeMonths,
    })),
  };
}

/**
 * A check against the tenant (`report`, verify's answer without its discovery) of the choice `id` in `tid`: the
 * keys of apps that exist (they keep their credentials, so the counts change), the counts again, the foreign apps
 * among them (the adopt choice), and whether every app is already as planned.
 */
export function checkView({ id, plan }, tid, report) {
  const apps = report.applications ?? [];
  const existing = apps.filter((a) => a.status !== "create").map((a) => a.key);
  const keys = plan.applications.map((a) => a.key);
  return {
    choice: id,
    tid,
    report,
    existing,
    counts: grantCounts(plan, new Set(existing)),
    foreign: foreignApps(apps.map((a) => a.existing).filter(Boolean), keys),
    nothingToChange: apps.every((a) => a.status === "ok"),
  };
}

/**
 * The run record as the pages draw it: its status, log and report, its apps by key and name, where each app
 * stands, whether it made anything, the secrets it made, and what a rollback of it would delete and undo. The
 * plan and the journal stay with the background (the report, once there, carries the journal it downloads).
 */
export function runView(run) {
  if (!run) return null;
  const { plan, journal: _journal, graphBaseUrl: _base, ...rest } = run;
  const journal = run.report?.journal ?? run.journal;
  return {
    ...rest,
    apps: (plan?.applications ?? []).map((a) => ({ key: a.key, displayName: a.displayName, component: a.component })),
    requests: requestsId(plan),
    rows: plan ? appProgress(run) : [],
    madeNothing: madeNothing(journal),
    secretsMade: (journal?.apps ?? []).filter((a) => a.existed === false && a.secretKeyId).length,
    targets: rollbackTargets(journal, names(plan)),
  };
}

/**
 * The kept runs (storage.local's journals) as the popup lists them, newest first, each with what its rollback would
 * delete and undo, and the report of a rollback already made. The apps are named where the run going last is the
 * kept one (a kept journal holds keys only).
 */
export function keptView(list, run = null) {
  const byId = new Map((list ?? []).map((e) => [e.id, e]));
  return keptRows(list, isActive(run) ? run.id : null).map((r) => {
    const entry = byId.get(r.id);
    return {
      ...r,
      targets: rollbackTargets(entry.journal, r.id === run?.id ? names(run.plan) : new Map()),
      rolledBack: r.status === STATUS.rolledBack ? entry.rolledBack ?? null : null,
    };
  });
}
