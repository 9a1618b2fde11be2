// Apply from the portal page: the page only asks; the decision is made in our confirmation window (confirm.html).
// What that window shows comes from Graph, not from the page: the app's name, owners, creation time and publisher
// domain, how many other apps share its name (a member may register a look-alike under any display name), and the
// tenant. The app is the one the portal tab's route names, read from the tab's URL when the window opens and again
// when Apply is pressed: a tab that moved on to another app in between gets nothing applied.
import "./route.js";
import { catalog, plan } from "./pkg/lucs_registrar.js";
import { api } from "./browser.js";
import { GRAPH_BASE_URL } from "./config.js";
import { store, tokenGetter } from "./keeper.js";
import { isPortalOrigin, originOf } from "./origins.js";
import { active, claim, newRun, resumable, startRun, state, t } from "./runs.js";
import { applyRefusal } from "./runs/rules.js";
import { sameNamePath, summarize } from "./standing.js";

const { appIdOnScreen } = globalThis.lucsRoute;
const requests = new Map();
const noLongerOpen = () => new Error(t("applyNoLongerOpen"));

/** The Application ID the portal tab's route names now (null: closed, not the portal, no app blade). */
async function routeOf(tabId) {
  const tab = await api.tabs.get(tabId).catch(() => null);
  if (!tab?.url || !isPortalOrigin(originOf(tab.url))) return null;
  let hash;
  try {
    hash = new URL(tab.url).hash;
  } catch {
    return null;
  }
  return appIdOnScreen(hash);
}

async function graphGet(tid, tabId, path) {
  const getToken = tokenGetter("apply", tid, { tabId });
  for (let attempt = 0; attempt < 2; attempt++) {
    const reply = await fetch(`${GRAPH_BASE_URL}${path}`, { headers: { Authorization: `Bearer ${await getToken({ forceRefresh: attempt > 0 })}` }, credentials: "omit" });
    if (reply.status === 401) continue;
    return { status: reply.status, body: await reply.json().catch(() => null) };
  }
  return { status: 401, body: null };
}

/** Opens a request for the app on the sender's tab, after checking the tab's route names that very app. */
export async function openRequest(tabId, tid, appId) {
  if ((await routeOf(tabId)) !== appId) throw new Error(t("routeChanged"));
  const id = crypto.randomUUID();
  requests.set(id, { tabId, tid, appId });
  return id;
}

// Who is signed in: the token's oid claim (Microsoft identity platform access token claims), else Graph's /me.
async function signedInUser(r) {
  const entry = store.choose("apply", r.tid, { tabId: r.tabId }) ?? store.best("apply", r.tid, { tabId: r.tabId });
  if (entry?.claims.oid) return entry.claims.oid;
  const me = await graphGet(r.tid, r.tabId, "/me?$select=id").catch(() => null);
  return typeof me?.body?.id === "string" ? me.body.id : null;
}

// How many other apps hold this display name; `more` when Graph had more pages than were read.
async function sameName(r, app) {
  if (!app.displayName) return null;
  let path = sameNamePath(app.displayName);
  const ids = [];
  for (let page = 0; page < 10 && path; page++) {
    const reply = await graphGet(r.tid, r.tabId, path).catch(() => null);
    if (reply?.status !== 200 || !Array.isArray(reply.body?.value)) return null;
    ids.push(...reply.body.value.map((v) => v?.id));
    const next = reply.body["@odata.nextLink"];
    path = typeof next === "string" && next.startsWith(`${GRAPH_BASE_URL}/`) ? next.slice(GRAPH_BASE_URL.length) : null;
  }
  return { others: ids.filter((id) => id !== app.id).length, more: Boolean(path) };
}

export async function applyDetails(id) {
  const r = requests.get(id);
  if (!r) throw noLongerOpen();
  // What Graph cannot tell (no token left, tenant gone) shows as unknown; the tenant id is always the tab's.
  const unknown = { status: 0, body: null };
  // Owners need Application.Read.All and come only with $expand (learn.microsoft.com/graph/api/resources/application:
  // owners "Supports $expand … and $select nested in $expand"; application-list-owners).
  const query = "$select=id,appId,displayName,createdDateTime,publisherDomain&$expand=owners($select=id,displayName,userPrincipalName)";
  const app = await graphGet(r.tid, r.tabId, `/applications(appId='${r.appId}')?${query}`).catch(() => unknown);
  const org = await graphGet(r.tid, r.tabId, "/organization?$select=id,displayName,verifiedDomains").catch(() => unknown);
  const found = app.status === 200 && app.body ? app.body : null;
  const me = found ? await signedInUser(r) : null;
  const facts = found ? summarize(found, me) : null;
  const o = org.body?.value?.[0];
  const best = store.choose("apply", r.tid, { tabId: r.tabId });
  return {
    appId: r.appId,
    appName: found?.displayName ?? null,
    appFound: Boolean(found),
    appStatus: app.status,
    owners: facts?.owners ?? [],
    ownersKnown: Array.isArray(found?.owners),
    created: facts?.created ?? null,
    publisherDomain: facts?.publisherDomain ?? null,
    sameName: found ? await sameName(r, found) : null,
    meKnown: Boolean(me),
    tenantId: r.tid,
    tenantName: o?.displayName ?? null,
    defaultDomain: o?.verifiedDomains?.find((d) => d.isDefault)?.name ?? null,
    canApply: Boolean(best),
    missingScopes: best ? [] : store.best("apply", r.tid, { tabId: r.tabId })?.claims.jobs?.apply?.missingScopes ?? [],
    stoppedRun: resumable()
      ? { status: state.run.status, apps: state.run.plan.applications.map((a) => a.displayName) }
      : null,
    running: active(),
    components: catalog().components.map((c) => ({
      code: c.code,
      name: c.name,
      permissions: c.permissions.filter((p) => !p.optional).map((p) => ({ value: p.value, kind: p.kind })),
    })),
  };
}

export async function applyConfirm({ request, component, confirmedTenant, discardStopped }) {
  const r = requests.get(request);
  if (!r) throw noLongerOpen();
  if (confirmedTenant !== r.tid) throw new Error(t("applyConfirmTenant"));
  if (!catalog().components.some((c) => c.code === component)) throw Object.assign(new Error(t("applyUnknownComponent")), { code: "invalidInput", field: "component" });
  // Claimed before the first await below, so a Register confirmed in the same moment cannot start beside it.
  const claimed = claim("apply");
  try {
    const refusal = applyRefusal(state.run, { discardStopped });
    if (refusal) throw new Error(t(refusal));
    // The planner validates the target (a GUID, one app, no secret) instead of the plan being patched here.
    const p = plan({ components: [{ code: component, targetAppId: r.appId }] });
    if ((await routeOf(r.tabId)) !== r.appId) {
      // This window was decided for an app the tab no longer shows: it cannot be used again.
      requests.delete(request);
      throw new Error(t("routeChanged"));
    }
    requests.delete(request);
    await startRun(claimed, newRun({ tid: r.tid, job: "apply", tabId: r.tabId, plan: p }));
  } catch (err) {
    claimed.release();
    throw err;
  }
  return { started: true };
}
