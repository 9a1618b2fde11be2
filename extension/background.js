// Background: owns the Graph token and runs registrations. It watches the portal's own Graph requests for a
// token (never stored outside memory and storage.session), answers the popup, options page and content scripts
// after checking who is asking, and keeps each run's journal in storage.session so a stopped worker resumes it.
import init, { catalog, decodeToken, exportPlan, plan, preflight, register, rollback, verify } from "./pkg/lucs_registrar.js";
import { api } from "./browser.js";
import { GRAPH_PATTERNS, PORTAL_ORIGINS, graphBaseOf } from "./config.js";
import { allowed, isPortalOrigin as portalOrigin, originOf, senderKind } from "./messages.js";

let wasmReady;
const wasm = () => (wasmReady ??= init({ module_or_path: api.runtime.getURL("pkg/lucs_registrar_bg.wasm") }));

const isPortalOrigin = (origin) => portalOrigin(origin, PORTAL_ORIGINS);

// ---- Tokens: tenant id → { token, claims, graphBaseUrl, source } -------------------------------------------
const tokens = new Map();
const tokenWaiters = new Map();
// What is known of each tenant seen (no token): kept when a token is dropped after a 401, so the popup keeps
// showing the tenant and a run can wait for the portal's next token.
const tenants = new Map();
let lastPortalTenant = null;
let tokensLoaded;

function loadTokens() {
  tokensLoaded ??= api.storage.session.get(null).then((all) => {
    for (const [key, value] of Object.entries(all)) {
      if (key.startsWith("token:") && value?.token) {
        tokens.set(key.slice(6), value);
        remember(value);
      }
    }
  });
  return tokensLoaded;
}

/** Accepts a token only for Microsoft Graph, with a tenant, unexpired. Returns the claims or null. */
async function acceptToken(token, graphBaseUrl, source) {
  await wasm();
  let claims;
  try {
    claims = decodeToken(token);
  } catch {
    return null;
  }
  if (!claims.audienceIsGraph || claims.expired || !claims.tid || !graphBaseUrl) return null;
  const known = tokens.get(claims.tid);
  if (known?.token === token) return claims;
  const entry = { token, claims, graphBaseUrl, source };
  tokens.set(claims.tid, entry);
  remember(entry);
  await api.storage.session.set({ [`token:${claims.tid}`]: entry });
  for (const resolve of tokenWaiters.get(claims.tid) ?? []) resolve(token);
  tokenWaiters.delete(claims.tid);
  return claims;
}

function remember({ claims, graphBaseUrl, source }) {
  tenants.set(claims.tid, { tid: claims.tid, upn: claims.upn, exp: claims.exp, missingScopes: claims.missingScopes, graphBaseUrl, source });
}

function usable(entry) {
  return entry && entry.claims.exp * 1000 > Date.now() + 60_000;
}

/** The tenant's token; after a 401 (forceRefresh) or near expiry, waits for the portal to send a fresh one. */
async function tokenFor(tid, forceRefresh) {
  await loadTokens();
  const entry = tokens.get(tid);
  if (entry && !forceRefresh && usable(entry)) return entry.token;
  if (entry) {
    tokens.delete(tid);
    await api.storage.session.remove(`token:${tid}`);
  }
  return new Promise((resolve) => tokenWaiters.set(tid, [...(tokenWaiters.get(tid) ?? []), resolve]));
}

/** The run's getToken: while it waits for a fresh token the popup says so. */
async function runToken(tid, forceRefresh) {
  const entry = tokens.get(tid);
  if (entry && !forceRefresh && usable(entry)) return entry.token;
  await setRun({ status: "waitingToken" });
  const token = await tokenFor(tid, forceRefresh);
  await setRun({ status: "running" });
  return token;
}

// The portal's own Graph calls carry its token. Passive: nothing is blocked or changed.
const extra = api.webRequest.OnSendHeadersOptions?.EXTRA_HEADERS;
api.webRequest.onSendHeaders.addListener(
  (details) => {
    const initiator = details.initiator ?? originOf(details.originUrl ?? details.documentUrl ?? "");
    if (details.tabId < 0 || !isPortalOrigin(initiator)) return;
    const header = details.requestHeaders?.find((h) => h.name.toLowerCase() === "authorization");
    const token = header?.value?.replace(/^Bearer\s+/i, "");
    if (token) {
      acceptToken(token, graphBaseOf(details.url), "portal").then((claims) => {
        if (claims) lastPortalTenant = claims.tid;
      });
    }
  },
  { urls: GRAPH_PATTERNS },
  extra ? ["requestHeaders", extra] : ["requestHeaders"],
);

// ---- Runs: one at a time, state in storage.session (no token, no secret) -------------------------------------
let run = null;
let controller = null;
let secrets = [];

async function setRun(patch) {
  if (!run) return;
  Object.assign(run, patch);
  await api.storage.session.set({ run });
}

async function startRun(tid, thePlan, journal) {
  await loadTokens();
  const graphBaseUrl = tenants.get(tid)?.graphBaseUrl ?? run?.graphBaseUrl;
  if (!graphBaseUrl) throw new Error("No Microsoft Graph token for this tenant: open the Azure portal and sign in.");
  controller = new AbortController();
  run ??= { tid, graphBaseUrl, plan: thePlan, status: "running", progress: [], journal: null, report: null, error: null, restarts: 0 };
  await setRun({ status: "running", error: null });
  register(thePlan, {
    graphBaseUrl,
    tenantId: tid,
    journal,
    signal: controller.signal,
    getToken: ({ forceRefresh }) => runToken(tid, forceRefresh),
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
      await setRun({ status: err.kind === "cancelled" ? "cancelled" : "stopped", error: err.message, journal: err.journal ?? run.journal });
    });
}

// A worker stopped mid-run (idle timeout, browser) picks the run up from its journal when it starts again.
async function resumeAfterRestart() {
  const { run: saved } = await api.storage.session.get("run");
  if (!saved) return;
  run = saved;
  if (run.status === "running" || run.status === "waitingToken") {
    await wasm();
    run.restarts += 1;
    await startRun(run.tid, run.plan, run.journal);
  }
}

// ---- Messages -----------------------------------------------------------------------------------------------
const isGuid = (s) => typeof s === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

function tenantSummaries() {
  return [...tenants.values()].map((t) => ({ ...t, waitingForToken: !tokens.has(t.tid) }));
}

function graphOptions(tid) {
  const graphBaseUrl = tenants.get(tid)?.graphBaseUrl;
  if (!graphBaseUrl) throw new Error("No Microsoft Graph token for this tenant.");
  return { graphBaseUrl, getToken: ({ forceRefresh }) => tokenFor(tid, forceRefresh) };
}

const fromPages = {
  async state() {
    await loadTokens();
    return { tenants: tenantSummaries(), run, catalog: catalog() };
  },
  async plan({ request }) {
    return plan(request);
  },
  async export({ plan: p, format, results }) {
    return exportPlan(p, format, results);
  },
  async preflight({ tid, plan: p }) {
    return preflight({ ...graphOptions(tid), plan: p });
  },
  async verify({ tid, plan: p }) {
    return verify(p, graphOptions(tid));
  },
  async register({ tid, plan: p, confirmedTenant }) {
    if (confirmedTenant !== tid) throw new Error("Confirm the tenant before registering.");
    if (run && (run.status === "running" || run.status === "waitingToken")) throw new Error("A run is already going.");
    // Only a run that stopped or was cancelled, in this tenant, for this very plan, is resumed; a rolled-back
    // run's journal names apps that no longer exist, and a finished one has nothing left to do.
    const resumable = run && run.tid === tid && (run.status === "stopped" || run.status === "cancelled") &&
      JSON.stringify(run.plan) === JSON.stringify(p) ? run.journal : null;
    run = null;
    secrets = [];
    await startRun(tid, p, resumable);
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
    const result = await rollback(run.journal, graphOptions(run.tid));
    await setRun({ status: "rolledBack", rollback: result });
    return result;
  },
  async pasteToken({ token }) {
    if (typeof token !== "string" || token.length > 20000) throw new Error("That is not an access token.");
    const claims = await acceptToken(token.trim(), graphBaseOf("https://graph.microsoft.com/v1.0/"), "pasted");
    if (!claims) throw new Error("Not a usable token: it must be for Microsoft Graph, carry a tenant id and be unexpired.");
    return { tid: claims.tid, upn: claims.upn, exp: claims.exp };
  },
};

// Content scripts may only ask about the app on screen; they never receive a token.
const fromPortal = {
  // The Directory (tenant) ID of the portal session; the tenant id is not a secret.
  async portalIds({ appId }) {
    if (!isGuid(appId)) throw new Error("appId must be a GUID");
    return { appId, tenantId: lastPortalTenant, components: catalog().components.map((c) => ({ code: c.code, name: c.name })) };
  },
  // Apply a component's permissions and consent onto the app on screen (registered by hand), by its appId.
  async portalApply({ appId, component }) {
    if (!isGuid(appId)) throw new Error("appId must be a GUID");
    if (!catalog().components.some((c) => c.code === component)) throw new Error("unknown component");
    if (!lastPortalTenant) throw new Error("No Microsoft Graph token from this portal session yet.");
    if (run && (run.status === "running" || run.status === "waitingToken")) throw new Error("A run is already going.");
    const p = plan({ components: [{ code: component }] });
    p.applications = p.applications.slice(0, 1).map((a) => ({ ...a, targetAppId: appId, createSecret: false }));
    run = null;
    secrets = [];
    await startRun(lastPortalTenant, p, null);
    return { started: true };
  },
  async portalRunStatus() {
    return { status: run?.status ?? null, error: run?.error ?? null };
  },
};

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const kind = senderKind(sender, api.runtime.id, api.runtime.getURL(""), PORTAL_ORIGINS);
  if (!allowed(kind, message)) {
    sendResponse({ error: "refused" });
    return false;
  }
  const handlers = kind === "page" ? fromPages : fromPortal;
  wasm()
    .then(() => handlers[message.type](message))
    .then((result) => sendResponse({ result }))
    .catch((err) => sendResponse({ error: err.message ?? String(err), code: err.code, field: err.field }));
  return true;
});

api.storage.session.setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" });
loadTokens().then(resumeAfterRestart);
