// Runs, one at a time: the start lock (runlock.js), the run going now in storage.session (plan, progress, journal,
// job, tab, the keys the admin adopted — no token, no secret) so a stopped worker resumes it, and the last runs'
// journals kept in storage.local (journals.js), each rollback-able and each told to later runs in its tenant. The
// secrets a run hands over wait in storage.session (handover.js) until the admin marks each one stored. Beside the
// run record and the kept list, their views (runs/views.js: no plan, no journal) are what the pages draw.
import { register } from "./pkg/lucs_registrar.js";
import { api } from "./browser.js";
import { GRAPH_BASE_URL } from "./config.js";
import { load, tokenGetter } from "./keeper.js";
import { journalsFor, keep, valid } from "./journals.js";
import { StartLock } from "./runlock.js";
import { hold } from "./handover.js";
import { markHandedOver, recordsOf } from "./secrets.js";
import { shownReport } from "./runs/rules.js";
import { STATUS, isActive, isResumable } from "./runs/status.js";
import { keptView, runView } from "./runs/views.js";

export const t = (key, ...subs) => api.i18n.getMessage(key, subs.map(String)) || key;

/** The run going now (or the last one). */
export const state = { run: null };
let controller = null;
const lock = new StartLock();

export const active = () => isActive(state.run);
export const resumable = () => isResumable(state.run);

/** Claims the one run there may be for `job`, or throws the refusal the page shows. */
export function claim(job) {
  const claimed = lock.claim(job);
  if (!claimed) throw new Error(t("anotherRun", t(`job_${lock.holder}`)));
  return claimed;
}

export async function setRun(patch, run = state.run) {
  if (!run) return;
  Object.assign(run, patch);
  // A run record that is no longer the current one (a new run started since) is not written over the new one.
  if (run !== state.run) return;
  // The kept list is shown with the run going apart (it cannot be rolled back while it goes): drawn again as one
  // starts or ends.
  const kept = activeId(run) === listedActive ? {} : { keptView: listed(await keptList()) };
  await api.storage.session.set({ run, runView: runView(run), ...kept });
}

export function cancel() {
  controller?.abort();
}

// ---- Kept journals (storage.local): one read, then the list in memory; writes one after another ----------------
const activeId = (run) => (isActive(run) ? run.id : null);
// The run going when the kept list's view was last made: the view lists it apart.
let listedActive = null;
function listed(list) {
  listedActive = activeId(state.run);
  return keptView(list, state.run);
}

let kept = null;
let writes = Promise.resolve();
const keptList = () => (kept ??= api.storage.local.get("journals").then(({ journals }) => valid(journals)));

/** Changes the kept list with `change(list) → list` and stores it. */
export function changeKept(change) {
  writes = writes.then(async () => {
    const next = change(await keptList());
    kept = Promise.resolve(next);
    await api.storage.local.set({ journals: next });
    await api.storage.session.set({ keptView: listed(next) });
  }).catch(() => {});
  return writes;
}

/** Writes the pages' views of the run and the kept list again (a worker started anew: storage.local outlived them). */
export async function publishViews() {
  await api.storage.session.set({ runView: runView(state.run), keptView: listed(await keptList()) });
}

export const keptJournals = async (tid) => journalsFor(await keptList(), tid);
export const keptRuns = () => keptList();
export const keptEntry = async (id) => (await keptList()).find((e) => e.id === id) ?? null;

/** A new run record: `id` and `startedAt` are given again when it continues a stopped run's journal. */
export function newRun({
  id = crypto.randomUUID(), startedAt = Date.now(), tid, job, tabId = null, plan, journal = null, adopt = [],
}) {
  return {
    id, startedAt, tid, job, tabId, graphBaseUrl: GRAPH_BASE_URL, plan, journal, adopt, status: STATUS.running,
    progress: [], report: null, error: null, stopKind: null, stopKey: null, foreign: null, restarts: 0,
  };
}

/**
 * Starts `run` (a newRun, or a saved one after a worker restart) under `claimed`, which it releases when the run
 * ends. job "register" takes any portal tab's token of the tenant; "apply" only the token of its own tab.
 * `discovery`: the last check's reads (check.js), not part of the run record: a restarted worker reads the tenant.
 */
export async function startRun(claimed, run, { discovery = null } = {}) {
  await load();
  state.run = run;
  controller = new AbortController();
  const signal = controller.signal;
  await setRun({ status: STATUS.running, error: null, stopKind: null, stopKey: null, foreign: null }, run);
  const journals = await keptJournals(run.tid);
  const keepJournal = (journal, status) =>
    changeKept((list) =>
      keep(list, { id: run.id, at: run.startedAt, tid: run.tid, job: run.job, status, journal, plan: run.plan }));
  register(run.plan, {
    graphBaseUrl: GRAPH_BASE_URL,
    tenantId: run.tid,
    journal: run.journal,
    discovery,
    adopt: run.adopt ?? [],
    journals,
    signal,
    getToken: tokenGetter(run.job, run.tid, {
      tabId: run.tabId, wait: true, signal,
      onWait: () => setRun({ status: STATUS.waitingToken }, run),
      onResume: () => setRun({ status: STATUS.running }, run),
    }),
    onProgress: (e) => {
      run.progress.push(e);
      if (run.progress.length > 300) run.progress.splice(0, run.progress.length - 300);
    },
    onJournal: (j) => {
      setRun({ journal: j }, run);
      keepJournal(j, STATUS.running);
    },
  })
    .then(async (report) => {
      // The secrets first: held before anything says the run is done, so no page can look in between.
      const handed = await handOver(run, report.secrets, {
        applications: report.applications, journal: report.journal,
      });
      await setRun({ status: STATUS.done, report: shownReport(report), journal: report.journal }, run);
      await keepJournal(report.journal, STATUS.done);
      if (handed.length) await changeKept((list) => markHandedOver(list, run.id, handed));
    })
    .catch(async (err) => {
      // A stopped run hands over the secrets it made before stopping, like a finished run's.
      const handed = await handOver(run, err.secrets, { journal: err.journal ?? run.journal });
      const status = err.kind === "cancelled" ? STATUS.cancelled : STATUS.stopped;
      const journal = err.journal ?? run.journal;
      // A foreignApps stop names each app with its owners and credentials (never a secret's text): the popup shows
      // them and asks whether to adopt.
      const foreign = err.kind === "foreignApps" && Array.isArray(err.foreign) ? err.foreign : null;
      // The app it stopped on, when one: the popup marks that app's step failed.
      await setRun({
        status, error: err.message, stopKind: err.kind ?? null, stopKey: err.key ?? null, foreign, journal,
      }, run);
      if (journal) await keepJournal(journal, status);
      if (journal && handed.length) await changeKept((list) => markHandedOver(list, run.id, handed));
    })
    .finally(() => claimed.release());
}

// The run's secrets wait in storage.session; its kept journal's entry then names them (key ids, never the text) as
// handed over and not yet confirmed stored.
async function handOver(run, secrets, { applications, journal }) {
  const records = recordsOf(secrets, { runId: run.id, tid: run.tid, applications, journal, plan: run.plan });
  if (records.length) await hold(records);
  return records;
}

// A worker stopped mid-run (idle timeout, browser) picks the run up from its journal when it starts again.
export async function resumeAfterRestart() {
  const { run: saved } = await api.storage.session.get("run");
  if (!saved || state.run) return;
  state.run = saved;
  if (!active()) return;
  const claimed = lock.claim(saved.job);
  if (!claimed) return;
  saved.restarts += 1;
  await startRun(claimed, saved);
}
