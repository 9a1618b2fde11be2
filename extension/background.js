// Background: owns the Graph tokens and runs registrations. It takes tokens from the portal's own Graph calls
// (keeper.js), answers the popup, options and confirmation pages and the portal content script after checking who
// is asking, and keeps each run's journal in storage.session so a stopped worker resumes it.
import init, { catalog, exportPlan, plan, preflight, register, rollback, verify } from "./pkg/lucs_registrar.js";
import { api } from "./browser.js";
import { GRAPH_BASE_URL, GRAPH_PATTERNS, graphBaseOf } from "./config.js";
import { accept, load, onlyToken, store, tokenGetter } from "./keeper.js";
import { allowed, senderKind } from "./messages.js";
import { fromPortalTab, originOf, isPortalOrigin } from "./origins.js";

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

// ---- Runs: one at a time, state in storage.session (no token, no secret) -------------------------------------
let run = null;
let controller = null;
let secrets = [];
const active = () => run && (run.status === "running" || run.status === "waitingToken");
const resumable = () => run && (run.status === "stopped" || run.status === "cancelled") && run.journal;

async function setRun(patch) {
  if (!run) return;
  Object.assign(run, patch);
  await api.storage.session.set({ run });
}

/** job "register" (from the popup, any portal tab's token) or "apply" (only the token of the tab it came from). */
async function startRun(tid, thePlan, journal, { job = "register", tabId = null } = {}) {
  await load();
  controller = new AbortController();
  run ??= { tid, job, tabId, graphBaseUrl: GRAPH_BASE_URL, plan: thePlan, status: "running", progress: [], journal: null, report: null, error: null, restarts: 0 };
  await setRun({ status: "running", error: null });
  register(thePlan, {
    graphBaseUrl: GRAPH_BASE_URL,
    tenantId: tid,
    journal,
    signal: controller.signal,
    getToken: tokenGetter(job, tid, {
      tabId, wait: true, signal: controller.signal,
      onWait: () => setRun({ status: "waitingToken" }),
      onResume: () => setRun({ status: "running" }),
    }),
    onProgress: (e) => {
      run.progress.push(e);
      if (run.progress.length > 300) run.progress.splice(0, run.progress.length - 300);
    },
    onJournal: (j) => setRun({ journal: j }),
  })
    .then(async (report) => {
      secrets = report.secrets;
      const { secrets: _shownOnce, ...kept } = report;
      await setRun({ status: "done", report: kept, journal: report.journal });
    })
    .catch(async (err) => {
      // A stopped run hands over the secrets it made before stopping: shown once, like a finished run's.
      if (Array.isArray(err.secrets) && err.secrets.length) secrets = [...secrets, ...err.secrets];
      await setRun({ status: err.kind === "cancelled" ? "cancelled" : "stopped", error: err.message, journal: err.journal ?? run.journal });
    });
}

// A worker stopped mid-run (idle timeout, browser) picks the run up from its journal when it starts again.
async function resumeAfterRestart() {
  const { run: saved } = await api.storage.session.get("run");
  if (!saved) return;
  run = saved;
  if (active()) {
    await wasm();
    run.restarts += 1;
    await startRun(run.tid, run.plan, run.journal, { job: run.job, tabId: run.tabId });
  }
}

// ---- Graph reads the confirmation shows (the app's and the tenant's names come from Graph, not from the page) --
async function graphGet(job, tid, tabId, path) {
  const getToken = tokenGetter(job, tid, { tabId });
  for (let attempt = 0; attempt < 2; attempt++) {
    const reply = await fetch(`${GRAPH_BASE_URL}${path}`, { headers: { Authorization: `Bearer ${await getToken({ forceRefresh: attempt > 0 })}` }, credentials: "omit" });
    if (reply.status === 401) continue;
    return { status: reply.status, body: await reply.json().catch(() => null) };
  }
  return { status: 401, body: null };
}

// ---- Apply from the portal page: the page only asks; the decision is made in our confirmation page ------------
const applyRequests = new Map();

async function applyDetails(id) {
  const r = applyRequests.get(id);
  if (!r) throw new Error("This request is no longer open: press the button in the portal again.");
  // What Graph cannot tell (no token left, tenant gone) shows as unknown; the tenant id is always the tab's.
  const unknown = { status: 0, body: null };
  const app = await graphGet("apply", r.tid, r.tabId, `/applications(appId='${r.appId}')?$select=id,appId,displayName`).catch(() => unknown);
  const org = await graphGet("apply", r.tid, r.tabId, "/organization?$select=id,displayName,verifiedDomains").catch(() => unknown);
  const o = org.body?.value?.[0];
  const best = store.choose("apply", r.tid, { tabId: r.tabId });
  return {
    appId: r.appId,
    appName: app.status === 200 ? app.body?.displayName ?? null : null,
    appFound: app.status === 200,
    appStatus: app.status,
    tenantId: r.tid,
    tenantName: o?.displayName ?? null,
    defaultDomain: o?.verifiedDomains?.find((d) => d.isDefault)?.name ?? null,
    canApply: Boolean(best),
    missingScopes: best ? [] : store.best("apply", r.tid, { tabId: r.tabId })?.claims.jobs?.apply?.missingScopes ?? [],
    unshownSecrets: secrets.length,
    stoppedRun: resumable() ? { status: run.status, apps: run.plan.applications.map((a) => a.displayName) } : null,
    running: Boolean(active()),
    components: catalog().components.map((c) => ({ code: c.code, name: c.name, permissions: c.permissions.filter((p) => !p.optional).map((p) => ({ value: p.value, kind: p.kind })) })),
  };
}

async function applyConfirm({ request, component, confirmedTenant, discardStopped }) {
  const r = applyRequests.get(request);
  if (!r) throw new Error("This request is no longer open: press the button in the portal again.");
  if (confirmedTenant !== r.tid) throw new Error("Confirm the tenant before applying.");
  if (!catalog().components.some((c) => c.code === component)) throw new Error("unknown component");
  if (active()) throw new Error("A run is already going.");
  if (secrets.length) throw new Error("The last run's client secrets have not been shown yet: open the extension's popup first.");
  if (resumable() && !discardStopped) throw new Error("A stopped run can still be resumed from the popup: resume it there, or choose to discard it.");
  // The planner validates the target (a GUID, one app, no secret) instead of the plan being patched here.
  const p = plan({ components: [{ code: component, targetAppId: r.appId }] });
  applyRequests.delete(request);
  run = null;
  await startRun(r.tid, p, null, { job: "apply", tabId: r.tabId });
  return { started: true };
}

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
      exp: Math.max(0, ...sessions.filter((s) => s.usable).map((s) => s.exp)),
      sessions,
      uses: { register: use("register"), preflight: store.best("preflight", tid)?.claims.appid ?? null },
      canRegister: Boolean(store.choose("register", tid)),
      portalTab: store.tabOf(tid) !== null,
      tabs: tabs.filter((t) => store.tabTenant(t) === tid),
    };
  });
}

const fromPages = {
  async state() {
    await load();
    return { tenants: tenantSummaries(), run, catalog: catalog() };
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
  async verify({ tid, plan: p }) {
    return verify(p, { graphBaseUrl: GRAPH_BASE_URL, getToken: tokenGetter("verify", tid, { prefer: "register" }) });
  },
  async register({ tid, plan: p, confirmedTenant }) {
    if (confirmedTenant !== tid) throw new Error("Confirm the tenant before registering.");
    if (active()) throw new Error("A run is already going.");
    // Only a run that stopped or was cancelled, in this tenant, for this very plan, is resumed; a rolled-back
    // run's journal names apps that no longer exist, and a finished one has nothing left to do.
    const journal = resumable() && run.tid === tid && run.job !== "apply" && JSON.stringify(run.plan) === JSON.stringify(p) ? run.journal : null;
    run = null;
    secrets = [];
    await startRun(tid, p, journal, { job: "register" });
    return { started: true };
  },
  async cancel() {
    controller?.abort();
    return { cancelled: true };
  },
  async takeSecrets() {
    const shown = secrets;
    secrets = [];
    return shown;
  },
  async rollback() {
    if (!run?.journal) throw new Error("There is no run to roll back.");
    const result = await rollback(run.journal, { graphBaseUrl: GRAPH_BASE_URL, getToken: tokenGetter("rollback", run.tid) });
    await setRun({ status: "rolledBack", rollback: result });
    return result;
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
    const id = crypto.randomUUID();
    applyRequests.set(id, { tabId: sender.tab.id, tid, appId });
    const url = api.runtime.getURL(`confirm.html?request=${id}`);
    await api.windows.create({ url, type: "popup", width: 480, height: 680 }).catch(() => api.tabs.create({ url }));
    return { opened: true };
  },
  async portalRunStatus(_message, sender) {
    const mine = run && run.job === "apply" && run.tabId === sender.tab.id;
    return { status: mine ? run.status : null, error: mine ? run.error : null };
  },
};

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const kind = senderKind(sender, api.runtime.id, api.runtime.getURL(""));
  if (!allowed(kind, message)) {
    sendResponse({ error: "refused" });
    return false;
  }
  const handlers = kind === "page" ? fromPages : fromPortal;
  wasm()
    .then(() => handlers[message.type](message, sender))
    .then((result) => sendResponse({ result }))
    .catch((err) => sendResponse({ error: err.message ?? String(err), code: err.code, field: err.field }));
  return true;
});

api.storage.session.setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" });
wasm().then(load).then(resumeAfterRestart);
