// Graph reads and what the pages show before anything is written: the tenants the background has tokens for, the
// catalog, a plan and its export, the pre-flight check and the check against the tenant (verify).
import { catalog, exportPlan, preflight, verify } from "../pkg/lucs_registrar.js";
import { api } from "../browser.js";
import { GRAPH_BASE_URL } from "../config.js";
import { keepCheck } from "../check.js";
import { load, onlyToken, store, tokenGetter } from "../keeper.js";
import { addHandlers } from "../messages.js";
import { keptJournals, state, t } from "../runs.js";
import { checkView, runView } from "../runs/views.js";
import { chosen, chosenPlan } from "./choice.js";

// The signed-in user's object id (the oid claim) of the token a run in this tenant would use, when known.
function signedInUser(tid) {
  return (store.choose("register", tid) ?? store.best("verify", tid))?.claims.oid ?? null;
}

function tenantSummaries() {
  return store.tenantIds().map((tid) => {
    const sessions = store.sessions(tid);
    const use = (job) => store.choose(job, tid)?.claims.appid ?? null;
    const tabs = [...new Set(store.tokensOf(tid).map((e) => e.tabId).filter((t) => t !== null))];
    return {
      tid,
      upn: sessions[0]?.upn ?? null,
      // Whose apps are the admin's own: owners other than this user are flagged in the preview.
      oid: signedInUser(tid),
      exp: Math.max(0, ...sessions.filter((s) => s.usable).map((s) => s.exp)),
      sessions,
      uses: { register: use("register"), preflight: store.best("preflight", tid)?.claims.appid ?? null },
      canRegister: Boolean(store.choose("register", tid)),
      portalTab: store.tabOf(tid) !== null,
      tabs: tabs.filter((t) => store.tabTenant(t) === tid),
    };
  });
}

// The pre-flight check reads the user's roles, and how much of them Graph shows depends on the token's scopes
// (too few: roles without their names, user-list-transitivememberof). So it is made with the token that will
// register first, then with each other portal client's newest token, until one tells everything (no warning);
// else the report that left the fewest things unchecked.
async function bestPreflight(tid, p) {
  await load();
  const register = store.choose("register", tid);
  const byClient = new Map();
  for (const e of [register, ...store.tokensOf(tid).sort((a, b) => b.claims.exp - a.claims.exp)]) {
    if (e && !byClient.has(e.claims.appid)) byClient.set(e.claims.appid, e);
  }
  let best = null;
  let failure = null;
  for (const entry of byClient.values()) {
    try {
      const report = await preflight({ graphBaseUrl: GRAPH_BASE_URL, getToken: onlyToken(entry), plan: p });
      if (!best || report.warnings.length < best.warnings.length) best = report;
      if (report.warnings.length === 0) break;
    } catch (err) {
      failure ??= err;
    }
  }
  if (best) return best;
  throw failure ?? new Error(t("refusedNoTenantToken"));
}

// The built-in catalog is the Wasm's own data: made once per worker, not at every popup's open.
let builtIn = null;

addHandlers("page", {
  state: {
    shape: {},
    async handle() {
      await load();
      // The run as the pages draw it (runs/views.js): no page gets a plan.
      return { tenants: tenantSummaries(), run: runView(state.run), catalog: (builtIn ??= catalog()) };
    },
  },
  // The IDs of the run going last (`run`: its id), as the format asks.
  export: {
    shape: { run: "string", format: "string" },
    async handle({ run: id, format, results }) {
      const { run } = state;
      if (!run || run.id !== id) throw Object.assign(new Error("run must be the id of the run going last"), { field: "run" });
      return exportPlan(run.plan, format, results);
    },
  },
  // `choice`: the id the popup's last `choose` answered with.
  preflight: { shape: { tid: "string", choice: "string" }, handle: async ({ tid, choice }) => bestPreflight(tid, await chosenPlan(choice)) },
  // With the kept journals of this tenant, so the admin's own apps (and secrets) from earlier runs are known. What
  // it read is kept for a Register straight after it (check.js); what the popup draws of it (`preview`, the check's
  // view: runs/views.js) is kept beside the choice, and is the answer.
  verify: {
    shape: { tid: "string", choice: "string" },
    async handle({ tid, choice: id }) {
      const choice = await chosen(id);
      await load();
      const journals = await keptJournals(tid);
      const getToken = tokenGetter("verify", tid, { prefer: "register" });
      const drift = await verify(choice.plan, { graphBaseUrl: GRAPH_BASE_URL, getToken, journals });
      const report = await keepCheck(api.storage.session, tid, drift);
      const preview = checkView(choice, tid, report);
      // A choice made while the check ran has no check yet: this one is not kept as if it were its.
      if ((await chosen(id).catch(() => null)) === choice) await api.storage.session.set({ preview });
      return preview;
    },
  },
});
