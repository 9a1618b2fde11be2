// The upkeep of an installation the extension registered: its health, and a client secret renewed in two separate
// steps. Each check is made against the plan of the tenant's last kept registration (kept with its journal,
// runs.js) and with the tenant's kept journals, so the tool's own apps are judged its own. A renewed secret follows
// the rule a registered one does: it waits in storage.session (handover.js) until the admin marks it stored, and
// the renewal's journal is kept with the run journals, so the new secret counts as the tool's own. Removing the old
// secret is its own message, sent only after the admin confirmed LUCS uses the new one.
import { credentialActivity, driftFixPreview, fixDrift, health, renewSecret, retireSecret, secretPolicy }
  from "./pkg/lucs_registrar.js";
import { api } from "./browser.js";
import { GRAPH_BASE_URL } from "./config.js";
import { load, tokenGetter } from "./keeper.js";
import { keep } from "./journals.js";
import { hold } from "./handover.js";
import { markHandedOver, recordsOf } from "./secrets.js";
import { changeKept, claim, keptJournals, keptRuns, t } from "./runs.js";

const invalid = (field, allowed) => Object.assign(new Error(`${field} must be ${allowed}`), { code: "invalidInput", field });

/**
 * The plan of tenant `tid`'s newest kept registration (or renewal, which keeps the same plan), or null: a
 * rolled-back run's apps are gone, and an Apply's plan covers one app only.
 */
export async function planOf(tid) {
  const entry = (await keptRuns()).find((e) => e.tid === tid && e.plan && e.status !== "rolledBack" && (e.job === "register" || e.job === "renew"));
  return entry?.plan ?? null;
}

async function needPlan(tid) {
  const p = await planOf(tid);
  if (!p) throw Object.assign(new Error(t("refusedRegisterFirst")), { code: "registerFirst" });
  return p;
}

function plannedKey(p, key) {
  const app = p.applications.find((a) => a.key === key);
  if (!app) throw invalid("key", "the key of an app in the plan");
  return app;
}

// Reads take the token that would register where there is one (it may read the tenant's policies), else any.
const reading = async (tid) => ({ graphBaseUrl: GRAPH_BASE_URL, getToken: tokenGetter("verify", tid, { prefer: "register" }), journals: await keptJournals(tid) });
const writing = async (tid) => ({ graphBaseUrl: GRAPH_BASE_URL, getToken: tokenGetter("register", tid), journals: await keptJournals(tid) });

export const upkeep = {
  /** The health of the tenant's installation, with what its configuration sheet needs; `plan: null` when nothing
   * registered is kept. */
  async health({ tid }) {
    await load();
    const p = await planOf(tid);
    if (!p) return { plan: null, report: null };
    const report = await health(p, await reading(tid));
    const apps = p.applications.map(({ key, component, componentName, instance, displayName }) =>
      ({ key, component, componentName, instance, displayName }));
    return { plan: { prefix: p.prefix ?? null, applications: apps }, report, drift: driftFixPreview(p, report) };
  },

  /** Step one, read only: app `key`'s secrets and the lifetimes the tenant's policy allows a new one. */
  async secretPolicy({ tid, key }) {
    await load();
    const p = await needPlan(tid);
    plannedKey(p, key);
    return secretPolicy(p, key, await reading(tid));
  },

  /** Step one's write: a new secret beside the old. Its text goes to the waiting list and nowhere else; a stop
   * comes back as `{ stopped }`. */
  async renewSecret({ tid, key, lifetimeMonths }) {
    if (!Number.isInteger(lifetimeMonths) || lifetimeMonths < 1 || lifetimeMonths > 24) throw invalid("lifetimeMonths", "a whole number of months from 1 to 24");
    await load();
    const p = await needPlan(tid);
    const app = plannedKey(p, key);
    const claimed = claim("renew");
    try {
      let done;
      try {
        done = await renewSecret(p, key, { ...(await writing(tid)), lifetimeMonths });
      } catch (err) {
        // A stop (a policy refusal among them) is an answer, with its kind, for the page to say in the admin's
        // language; nothing was added.
        if (err.code !== "runStopped") throw err;
        return { stopped: { code: err.code, kind: err.kind ?? null, key: err.key ?? null, message: err.message } };
      }
      const id = crypto.randomUUID();
      const at = Date.now();
      const records = recordsOf([{ ...done.secret, key }], { runId: id, tid, at, plan: p,
        applications: [{ key, displayName: app.displayName, appId: done.appId }] });
      // The secret is held before anything else is written, so no page can see the renewal without it.
      await hold(records);
      await changeKept((list) => markHandedOver(keep(list, { id, at, tid, job: "renew", status: "done", journal: done.journal, plan: p }), id, records));
      // The page gets the secret's first three characters, as Graph's own `hint` shows them, never its text.
      const { secretText, ...secret } = done.secret;
      return {
        key,
        appId: done.appId,
        secret: { ...secret, hint: secretText.slice(0, 3) },
        kept: done.kept,
        removedDuplicates: done.removedDuplicates,
      };
    } finally {
      claimed.release();
    }
  },

  /** Between the steps, read only: when each of the app's keys last signed in (Graph's beta report), or why not. */
  async credentialActivity({ tid, appId }) {
    await load();
    await needPlan(tid);
    return credentialActivity([appId], { graphBaseUrl: GRAPH_BASE_URL, getToken: tokenGetter("verify", tid, { prefer: "register" }) });
  },

  /** Step two, on its own: the old secret `keyId` removed, once the admin confirmed LUCS uses the new one. */
  async retireSecret({ tid, key, keyId, confirmed }) {
    if (confirmed !== true) throw invalid("confirmed", "true: the admin confirmed LUCS uses the new secret");
    await load();
    const p = await needPlan(tid);
    plannedKey(p, key);
    const claimed = claim("retire");
    try {
      return await retireSecret(p, key, keyId, await writing(tid));
    } finally {
      claimed.release();
    }
  },

  /** Drift fixed in one click: the installation checked again (the page's view may be old), the extras in
   * `removeExtras` removed, the rest re-applied by the registration engine for the drifted apps. A fix that stopped
   * keeps its journal in storage.session (no secret is in it: the fix adds none) and the next Fix resumes it. */
  async fixDrift({ tid, removeExtras }) {
    await load();
    const p = await needPlan(tid);
    const claimed = claim("fixDrift");
    const slot = `fixDrift:${tid}`;
    try {
      const report = await health(p, await reading(tid));
      const journal = (await api.storage.session.get(slot))[slot] ?? null;
      const onJournal = (j) => api.storage.session.set({ [slot]: j });
      try {
        const fixed = await fixDrift(p, report, { ...(await writing(tid)), removeExtras, journal, onJournal });
        await api.storage.session.remove(slot);
        // The run's report without its journal: the page needs what changed, not the ids.
        const run = fixed.run;
        const apps = run?.applications.map((a) => a.key);
        return { ...fixed, run: run ? { roundTrips: run.roundTrips, applications: apps } : null };
      } catch (err) {
        if (err.code !== "runStopped") throw err;
        if (err.journal) await api.storage.session.set({ [slot]: err.journal });
        return { stopped: { code: err.code, kind: err.kind ?? null, key: err.key ?? null, message: err.message } };
      }
    } finally {
      claimed.release();
    }
  },
};
