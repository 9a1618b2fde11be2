// Background: owns the Graph tokens and runs registrations. It takes tokens from the portal's own Graph calls
// (keeper.js), answers the popup, options and confirmation pages and the portal content script after checking who
// is asking, and runs one run at a time (runs.js): the run going now in storage.session so a stopped worker resumes
// it, the last runs' journals in storage.local, the client secrets waiting to be stored in storage.session only
// (handover.js). Apply's confirmation is apply.js.
import init, { catalog, exportPlan, plan, preflight, rollback, verify } from "./pkg/lucs_registrar.js";
import { applyConfirm, applyDetails, openRequest } from "./apply.js";
import { api } from "./browser.js";
import { GRAPH_BASE_URL, GRAPH_PATTERNS, graphBaseOf } from "./config.js";
import { keepCheck, takeCheck } from "./check.js";
import { accept, load, onlyToken, store, tokenGetter } from "./keeper.js";
import { markRolledBack } from "./journals.js";
import { release, showCount, waiting } from "./handover.js";
import { lostSecrets, markConfirmed } from "./secrets.js";
import { allowed, senderKind } from "./messages.js";
import { upkeep } from "./upkeep.js";
import { fromPortalTab, originOf, isPortalOrigin } from "./origins.js";
import {
  active, cancel, changeKept, claim, keptEntry, keptJournals, keptRuns, newRun, resumable, resumeAfterRestart, setRun,
  startRun, state, t,
} from "./runs.js";

let wasmReady;
const wasm = () => (wasmReady ??= init({ module_or_path: api.runtime.getURL("pkg/lucs_registrar_bg.wasm") }));

// The portal's own Graph calls carry its tokens. Passive: nothing is blocked or changed.
const extra = api.webRequest.OnSendHeadersOptions?.EXTRA_HEADERS;
api.webRequest.onSendHeaders.addListener(
  (details) => {
    const header = details.requestHeaders?.find((h) => h.name.toLowerCase() === "authorization");
    const token = header?.value?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token || details.tabId < 0) return;
    // The tab's URL is visible to us only when it is a host we may access; a non-portal tab yields none.
    api.tabs.get(details.tabId)
      .then(async (tab) => {
        if (!fromPortalTab(details, tab?.url)) return;
        await wasm();
        await accept(token, { tabId: details.tabId, graphBaseUrl: graphBaseOf(details.url), source: "portal" });
      })
      .catch(() => {});
  },
  { urls: GRAPH_PATTERNS },
  extra ? ["requestHeaders", extra] : ["requestHeaders"],
);

// ---- Messages -----------------------------------------------------------------------------------------------
const isGuid = (s) => typeof s === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

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

// The signed-in user's object id (the oid claim) of the token a run in this tenant would use, when known.
function signedInUser(tid) {
  return (store.choose("register", tid) ?? store.best("verify", tid))?.claims.oid ?? null;
}

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

const fromPages = {
  async state() {
    await load();
    return { tenants: tenantSummaries(), run: state.run, catalog: catalog() };
  },
  async plan({ request }) {
    return plan(request);
  },
  async export({ plan: p, format, results }) {
    return exportPlan(p, format, results);
  },
  // The pre-flight check reads the user's roles, and how much of them Graph shows depends on the token's scopes
  // (too few: roles without their names, user-list-transitivememberof). So it is made with the token that will
  // register first, then with each other portal client's newest token, until one tells everything (no warning);
  // else the report that left the fewest things unchecked.
  async preflight({ tid, plan: p }) {
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
    throw failure ?? new Error("No Microsoft Graph token for this tenant: open the Azure portal in a tab and sign in.");
  },
  // With the kept journals of this tenant, so the admin's own apps (and secrets) from earlier runs are known. What
  // it read is kept for a Register straight after it (check.js).
  async verify({ tid, plan: p }) {
    await load();
    const journals = await keptJournals(tid);
    const getToken = tokenGetter("verify", tid, { prefer: "register" });
    return keepCheck(api.storage.session, tid, await verify(p, { graphBaseUrl: GRAPH_BASE_URL, getToken, journals }));
  },
  async register({ tid, plan: p, confirmedTenant, adopt }) {
    if (confirmedTenant !== tid) throw new Error("Confirm the tenant before registering.");
    const keys = adoptKeys(adopt, p);
    // Claimed before the first await, so an Apply confirmed in the same moment cannot start beside it.
    const claimed = claim("register");
    try {
      const { run } = state;
      if (active()) throw new Error("A run is already going.");
      // Only a run that stopped or was cancelled, in this tenant, for this very plan, is resumed; a rolled-back
      // run's journal names apps that no longer exist, and a finished one has nothing left to do.
      const resume = resumable() && run.tid === tid && run.job !== "apply" && JSON.stringify(run.plan) === JSON.stringify(p);
      // A fresh run starts from the last check's reads when the engine finds them still good for it.
      const discovery = await takeCheck(api.storage.session, tid);
      await startRun(claimed, newRun({
        id: resume ? run.id : undefined, startedAt: resume ? run.startedAt : undefined,
        tid, job: "register", plan: p, journal: resume ? run.journal : null, adopt: keys,
      }), { discovery });
    } catch (err) {
      claimed.release();
      throw err;
    }
    return { started: true };
  },
  async cancel() {
    cancel();
    return { cancelled: true };
  },
  // The secrets waiting to be stored (for the results page, which shows them), and the ones a kept run handed over
  // whose text is gone with a closed browser: never left unsaid.
  async secrets() {
    const list = await waiting();
    return { waiting: list, lost: lostSecrets(await keptRuns(), list) };
  },
  async markSecretsStored({ keyIds }) {
    const bad = (field) => Object.assign(new Error(`${field} must be the key ID of a secret`), { code: "invalidInput", field });
    if (keyIds.length === 0 || keyIds.length > 1000) throw bad("keyIds");
    keyIds.forEach((k, i) => {
      if (!isGuid(k)) throw bad(`keyIds[${i}]`);
    });
    const left = await release(keyIds);
    await changeKept((list) => markConfirmed(list, keyIds));
    return { waiting: left.length };
  },
  // Any kept run (or the run going last, if it wrote nothing worth keeping), while no other run goes.
  async rollback({ id }) {
    const claimed = claim("rollback");
    try {
      const { run } = state;
      const entry = (await keptEntry(id)) ?? (run?.id === id && run.journal ? { tid: run.tid, status: run.status, journal: run.journal } : null);
      if (!entry) throw new Error(t("noSuchRun"));
      if (entry.status === "rolledBack") throw new Error(t("alreadyRolledBack"));
      const result = await rollback(entry.journal, { graphBaseUrl: GRAPH_BASE_URL, getToken: tokenGetter("rollback", entry.tid) });
      await changeKept((list) => markRolledBack(list, id, { at: Date.now(), ...result }));
      if (run?.id === id) await setRun({ status: "rolledBack", rollback: result }, run);
      return result;
    } finally {
      claimed.release();
    }
  },
  async pasteToken({ token }) {
    if (token.length > 20000) throw new Error("That is not an access token.");
    const claims = await accept(token.trim(), { graphBaseUrl: graphBaseOf(`${GRAPH_BASE_URL}/`), source: "pasted" });
    if (!claims) throw new Error("Not a usable token: it must be for Microsoft Graph, carry a tenant id, be unexpired and be accepted by Graph.");
    return { tid: claims.tid, upn: claims.upn, exp: claims.exp };
  },
  // Takes the tenant's portal tab to App registrations, whose blade's token can register and grant consent.
  async openAppRegistrations({ tid }) {
    // The tab of this tenant that is still open and still on the portal, whichever shell it shows.
    for (const tabId of store.tabsOf(tid)) {
      const tab = await api.tabs.get(tabId).catch(() => null);
      const shell = originOf(tab?.url ?? "");
      if (!isPortalOrigin(shell)) continue;
      await api.tabs.update(tabId, { url: `${shell}/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade`, active: true });
      await api.windows?.update?.(tab.windowId, { focused: true }).catch(() => {});
      return { opened: true };
    }
    throw new Error("No portal tab of this tenant is open: open the Azure portal in a tab and sign in.");
  },
  async applyDetails({ request }) {
    return applyDetails(request);
  },
  async applyConfirm(message) {
    return applyConfirm(message);
  },
};

// The health page's: a health check and a secret renewed in two steps (upkeep.js).
Object.assign(fromPages, upkeep);

// Content scripts may only ask about the app on screen and open our confirmation; they never receive a token, and
// what they get is about their own tab's tenant.
const fromPortal = {
  async portalIds({ appId }, sender) {
    if (!isGuid(appId)) throw new Error("appId must be a GUID");
    await load();
    return { appId, tenantId: store.tabTenant(sender.tab.id) };
  },
  async portalApply({ appId }, sender) {
    if (!isGuid(appId)) throw new Error("appId must be a GUID");
    await load();
    const tid = store.tabTenant(sender.tab.id);
    if (!tid) throw new Error("No Microsoft Graph token from this portal tab yet.");
    const id = await openRequest(sender.tab.id, tid, appId.toLowerCase());
    const url = api.runtime.getURL(`confirm.html?request=${id}`);
    await api.windows.create({ url, type: "popup", width: 480, height: 760 }).catch(() => api.tabs.create({ url }));
    return { opened: true };
  },
  async portalRunStatus(_message, sender) {
    const { run } = state;
    const mine = run && run.job === "apply" && run.tabId === sender.tab.id;
    return { status: mine ? run.status : null, error: mine ? run.error : null };
  },
};

// Messages wait for a stopped worker's run to be picked up again, so none can start a run beside it.
const started = wasm().then(load).then(resumeAfterRestart).catch(() => {});
showCount().catch(() => {});

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const kind = senderKind(sender, api.runtime.id, api.runtime.getURL(""));
  if (!allowed(kind, message)) {
    sendResponse({ error: "refused" });
    return false;
  }
  const handlers = kind === "page" ? fromPages : fromPortal;
  started
    .then(() => handlers[message.type](message, sender))
    .then((result) => sendResponse({ result }))
    .catch((err) => sendResponse({ error: err.message ?? String(err), code: err.code, field: err.field }));
  return true;
});

api.storage.session.setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" });
