// The messages that start, stop and undo runs, and hand over their secrets. The runs themselves — one at a time,
// the run going now, the kept journals — are ../runs.js; Apply's confirmation is ../apply.js.
import { rollback } from "../pkg/lucs_registrar.js";
import { applyConfirm, applyDetails } from "../apply.js";
import { api } from "../browser.js";
import { GRAPH_BASE_URL } from "../config.js";
import { takeCheck } from "../check.js";
import { tokenGetter } from "../keeper.js";
import { markRolledBack } from "../journals.js";
import { release, waiting } from "../handover.js";
import { addHandlers, isGuid } from "../messages.js";
import { lostSecrets, markConfirmed } from "../secrets.js";
import { active, cancel, changeKept, claim, keptEntry, keptRuns, newRun, setRun, startRun, state, t } from "../runs.js";
import { resumeOf, rollbackRefusal } from "../runs/rules.js";
import { STATUS } from "../runs/status.js";
import { chosenPlan } from "./choice.js";

/** `adopt` as sent by the popup: keys of apps in this plan, or an error naming the field. */
function adoptKeys(adopt, p) {
  if (adopt === undefined) return [];
  const bad = (field) => Object.assign(new Error(`${field} must be the key of an app in the plan`), { code: "invalidInput", field });
  if (!Array.isArray(adopt)) throw bad("adopt");
  adopt.forEach((k, i) => {
    if (!p.applications?.some((a) => a.key === k)) throw bad(`adopt[${i}]`);
  });
  return [...new Set(adopt)];
}

async function register({ tid, choice, confirmedTenant, adopt }) {
  if (confirmedTenant !== tid) throw new Error(t("refusedConfirmTenant"));
  // Claimed before the first await, so an Apply confirmed in the same moment cannot start beside it.
  const claimed = claim("register");
  try {
    const p = await chosenPlan(choice);
    const keys = adoptKeys(adopt, p);
    if (active()) throw new Error(t("refusedRunGoing"));
    const resume = resumeOf(state.run, { tid, plan: p });
    // A fresh run starts from the last check's reads when the engine finds them still good for it.
    const discovery = await takeCheck(api.storage.session, tid);
    await startRun(claimed, newRun({
      id: resume?.id, startedAt: resume?.startedAt, tid, job: "register", plan: p, journal: resume?.journal ?? null, adopt: keys,
    }), { discovery });
  } catch (err) {
    claimed.release();
    throw err;
  }
  return { started: true };
}

// Any kept run (or the run going last, if it wrote nothing worth keeping), while no other run goes.
async function rollbackRun({ id }) {
  const claimed = claim("rollback");
  try {
    const { run } = state;
    const entry = (await keptEntry(id)) ??
      (run?.id === id && run.journal ? { tid: run.tid, status: run.status, journal: run.journal } : null);
    const refusal = rollbackRefusal(entry);
    if (refusal) throw new Error(t(refusal));
    const result = await rollback(entry.journal, { graphBaseUrl: GRAPH_BASE_URL, getToken: tokenGetter("rollback", entry.tid) });
    await changeKept((list) => markRolledBack(list, id, { at: Date.now(), ...result }));
    if (run?.id === id) await setRun({ status: STATUS.rolledBack, rollback: result }, run);
    return result;
  } finally {
    claimed.release();
  }
}

async function markSecretsStored({ keyIds }) {
  const bad = (field) => Object.assign(new Error(`${field} must be the key ID of a secret`), { code: "invalidInput", field });
  if (keyIds.length === 0 || keyIds.length > 1000) throw bad("keyIds");
  keyIds.forEach((k, i) => {
    if (!isGuid(k)) throw bad(`keyIds[${i}]`);
  });
  const left = await release(keyIds);
  await changeKept((list) => markConfirmed(list, keyIds));
  return { waiting: left.length };
}

addHandlers("page", {
  // `choice`: the id of the popup's last choice, whose plan the background holds. `adopt`: the keys of apps not
  // made by this tool that the admin chose to adopt (sent only when ticked).
  register: { shape: { tid: "string", choice: "string", confirmedTenant: "string", "adopt?": "array" }, handle: register },
  cancel: {
    shape: {},
    async handle() {
      cancel();
      return { cancelled: true };
    },
  },
  // A kept run's id (the run going last included).
  rollback: { shape: { id: "string" }, handle: rollbackRun },
  // The secrets waiting to be stored (for the results page, which shows them), and the ones a kept run handed over
  // whose text is gone with a closed browser: never left unsaid.
  secrets: {
    shape: {},
    async handle() {
      const list = await waiting();
      return { waiting: list, lost: lostSecrets(await keptRuns(), list) };
    },
  },
  // The admin stored these secrets (their key IDs): they are forgotten.
  markSecretsStored: { shape: { keyIds: "array" }, handle: markSecretsStored },
  // The extension-owned confirmation of an Apply started from the portal page.
  applyDetails: { shape: { request: "string" }, handle: ({ request }) => applyDetails(request) },
  applyConfirm: {
    shape: { request: "string", component: "string", confirmedTenant: "string", discardStopped: "boolean" },
    handle: (message) => applyConfirm(message),
  },
});
