// What the popup says about a plan and a run, worked out from the data alone (no DOM, no browser API), so node
// tests hold it: what a plan grants, counted; where each app of a run stands; whether a run changed anything; what a
// rollback of a journal deletes, and which apps a rollback report says were deleted.
import { STATUS, isActive } from "./status.js";

/**
 * What a plan grants, counted as the tenant confirmation says it: its apps, the distinct permissions consented to
 * for all users (one permission granted to two apps is one grant of that permission to the organisation), and the
 * client secrets by lifetime. Apps in `existing` (keys of apps already in the tenant) get no secret: the engine
 * makes secrets only for apps it creates (src/engine/register/secrets.rs).
 */
export function grantCounts(plan, existing = new Set()) {
  const consented = new Set();
  const secrets = new Map();
  for (const a of plan.applications) {
    if (a.grantAdminConsent) for (const p of a.permissions) consented.add(`${p.resourceAppId} ${p.kind} ${p.value}`);
    if (a.createSecret && !existing.has(a.key)) {
      secrets.set(a.secretLifetimeMonths, (secrets.get(a.secretLifetimeMonths) ?? 0) + 1);
    }
  }
  return {
    apps: plan.applications.length,
    consent: consented.size,
    secrets: [...secrets].sort((x, y) => x[0] - y[0]).map(([months, count]) => ({ months, count })),
  };
}

/** The plan's warnings about one component (the core prefixes each with "<code>: "), and those about the whole plan. */
/** A component's warnings, each as `say(w)` words it (the core's warning objects), without the component's lead. */
export function warningsFor(plan, component, say = (w) => w.message) {
  return plan.warnings
    .filter((w) => w.component === component)
    .map(say)
    .map((text) => (text.startsWith(`${component}: `) ? text.slice(component.length + 2) : text));
}
export const planWarnings = (plan, say = (w) => w.message) =>
  plan.warnings.filter((w) => w.component === null).map(say);

export const STEPS = ["app", "servicePrincipal", "consent", "secret"];
const STAGES = ["discover", "applications", "servicePrincipals", "consent", "finished"];
const STAGE_OF = { app: "applications", servicePrincipal: "servicePrincipals", consent: "consent", secret: "consent" };

/** The stage a run is in: the last stage it entered (the engine says so with a stage-wide "started"). */
function currentStage(run) {
  for (let i = run.progress.length - 1; i >= 0; i--) {
    const e = run.progress[i];
    if (e.key === null && e.status === "started") return e.stage;
  }
  return "discover";
}

/**
 * Where each planned app of `run` (the background's run record) stands, step by step: "done", "running",
 * "retrying" (with `reason`), "waiting" (its stage not reached), "failed" (the run stopped there on it), "stopped"
 * (the run stopped before this step), "skipped" (not asked for: no consent, no secret) or "kept" (an app that
 * existed keeps its own credentials, no secret is made). What is done is read from the journal, which the run
 * writes after every Graph reply.
 */
export function appProgress(run) {
  const stage = currentStage(run);
  const at = STAGES.indexOf(stage);
  const active = isActive(run);
  const records = new Map((run.journal?.apps ?? []).map((r) => [r.key, r]));
  return run.plan.applications.map((a) => {
    const r = records.get(a.key);
    const last = [...run.progress].reverse().find((e) => e.key === a.key && e.stage === stage);
    const open = (step) => {
      const i = STAGES.indexOf(STAGE_OF[step]);
      if (run.status === STATUS.done || i < at) return { state: "done" };
      if (i > at) return { state: active ? "waiting" : "stopped" };
      if (active) return last?.status === "retrying" ? { state: "retrying", reason: last.reason } : { state: "running" };
      const failed = run.status === STATUS.stopped && (run.stopKey == null || run.stopKey === a.key);
      return { state: failed ? "failed" : "stopped" };
    };
    const cells = {
      app: r?.appDone ? { state: "done" } : open("app"),
      servicePrincipal: r?.servicePrincipalId ? { state: "done" } : open("servicePrincipal"),
      consent: !a.grantAdminConsent ? { state: "skipped" } : r?.consentDone ? { state: "done" } : open("consent"),
      secret: !a.createSecret ? { state: "skipped" } : r?.secretKeyId ? { state: "done" } : r?.existed === true ? { state: "kept" } : open("secret"),
    };
    const finished = STEPS.every((s) => ["done", "skipped", "kept"].includes(cells[s].state));
    return { key: a.key, displayName: a.displayName, cells, finished };
  });
}

/**
 * Whether a run's journal shows nothing made or granted: every app existed, no service principal, grant, app role
 * assignment or secret was made, no scope added, nothing adopted. (An existing app is still written with the plan's
 * settings, which changes nothing when it already had them: the check before the run says whether it had.)
 */
export function madeNothing(journal) {
  return (journal?.apps ?? []).every((a) =>
    a.existed === true && !a.adopted && !a.servicePrincipalCreated && !a.secretKeyId && !a.declaredAccess &&
    (a.grants ?? []).every((g) => !g.created && !(g.addedScopes ?? []).length) &&
    (a.assignments ?? []).every((x) => !x.created));
}

/**
 * What rolling back `journal` does, as src/engine/rollback/ does it: apps this tool created are deleted permanently
 * (and with each its service principal, grants, app role assignments and secrets); on apps that existed or were
 * adopted only what the run added is undone, and the app stays. `names` maps keys to display names where known.
 */
export function rollbackTargets(journal, names = new Map()) {
  const out = { deleted: [], undone: [], kept: [] };
  for (const a of journal?.apps ?? []) {
    const who = { key: a.key, displayName: names.get(a.key) ?? null };
    if (!a.adopted && a.existed === false) {
      if (a.objectId) out.deleted.push(who);
      continue;
    }
    if (!a.adopted && a.existed !== true) continue;
    out.kept.push({ ...who, adopted: Boolean(a.adopted) });
    const parts = [];
    if (a.declaredAccess && a.appDone) parts.push("declared");
    if (a.servicePrincipalId && a.servicePrincipalCreated) parts.push("servicePrincipal");
    else if (a.servicePrincipalId) {
      for (const g of a.grants ?? []) {
        if (g.created) parts.push("grant");
        else if ((g.addedScopes ?? []).length) parts.push("scopes");
      }
      for (const x of a.assignments ?? []) if (x.created) parts.push("assignment");
    }
    if (parts.length) out.undone.push({ ...who, parts });
  }
  return out;
}

/** The keys of the apps a rollback report says were deleted (the core words each "application <key> (…)"). */
export function deletedKeys(result) {
  return new Set((result?.deleted ?? []).map((d) => /^application (\S+)/.exec(d)?.[1]).filter(Boolean));
}

/**
 * A rollback report entry as its kind and app key, for saying it in the admin's language: the core's English
 * sentence starts with what it is about ("application k", "service principal of k", "delegated grant of k",
 * "app role <id> of k", "scopes … added to the delegated grant of k", "the permissions application k declared
 * before"); anything else is { kind: null } and is shown as the core wrote it.
 */
export function reportItem(text) {
  const patterns = [
    ["declared", /^(?:restored )?the permissions application (\S+) declared before/],
    ["scopes", /^(?:removed )?scopes .+ added to the delegated grant of (\S+)/],
    ["app", /^application (\S+)/],
    ["servicePrincipal", /^service principal of (\S+)/],
    ["grant", /^delegated grant of (\S+)/],
    ["assignment", /^app role \S+ of (\S+)/],
  ];
  for (const [kind, re] of patterns) {
    const m = re.exec(text);
    if (m) return { kind, key: m[1].replace(/[:,]$/, ""), text };
  }
  return { kind: null, key: null, text };
}
