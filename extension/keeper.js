// The background's side of the token store: what is seen on the wire is checked with Graph before it is used,
// kept in memory and storage.session (never storage.local), and handed to jobs by scope coverage.
import { decodeToken } from "./pkg/lucs_registrar.js";
import { api } from "./browser.js";
import { TokenStore } from "./tokens.js";

export const store = new TokenStore();
const waiters = new Set();
let loaded;

export function load() {
  loaded ??= api.storage.session.get("tokens").then(({ tokens }) => store.restore(tokens));
  return loaded;
}

async function persist() {
  await api.storage.session.set({ tokens: store.snapshot() });
}

function wake() {
  for (const w of [...waiters]) {
    const entry = w.pick();
    if (entry) {
      waiters.delete(w);
      w.resolve(entry);
    }
  }
}

// Graph answers 401 to a token it does not accept and 403 only to one it accepted that lacks a scope or role
// (learn.microsoft.com/graph/errors: 401 "authentication information is either missing or not valid", 403 "access
// is denied"). Any signed-in user may read their own id, so this call tells a real token from a planted one.
async function check(candidate) {
  let status = 0;
  try {
    const reply = await fetch(`${candidate.graphBaseUrl}/me?$select=id`, {
      headers: { Authorization: `Bearer ${candidate.token}` },
      credentials: "omit",
      cache: "no-store",
    });
    status = reply.status;
  } catch {
    status = 0;
  }
  if (status === 401) {
    store.refuse(candidate.token);
    return null;
  }
  if ((status >= 200 && status < 300) || status === 403) {
    const kept = store.confirm(candidate);
    await persist();
    wake();
    return kept;
  }
  // Unreachable or a server error: not refused for good, checked again when next seen.
  store.refuse(candidate.token, { remember: false });
  return null;
}

/**
 * A token seen on a portal tab's Graph call (tabId) or handed over by the options page (tabId null). Returns its
 * claims once Graph has accepted it, else null.
 */
export async function accept(token, { tabId = null, graphBaseUrl, source }) {
  await load();
  let claims;
  try {
    claims = decodeToken(token);
  } catch {
    return null;
  }
  if (!claims.audienceIsGraph || claims.expired || !claims.tid || !graphBaseUrl) return null;
  const offered = store.offer(token, claims, { tabId, graphBaseUrl, source });
  if (offered.status === "kept") return claims;
  if (offered.status !== "check") return null;
  return (await check(offered.candidate)) ? claims : null;
}

/** Forget a token Graph answered 401 to. */
export async function refuse(token) {
  store.refuse(token);
  await persist();
}

/** Resolves with the first entry `pick` returns, now or once a token arrives that makes it return one. */
export function waitFor(pick, signal) {
  const entry = pick();
  if (entry) return Promise.resolve(entry);
  return new Promise((resolve, reject) => {
    const w = { pick, resolve };
    waiters.add(w);
    signal?.addEventListener("abort", () => {
      waiters.delete(w);
      reject(Object.assign(new Error("cancelled"), { kind: "cancelled" }));
    });
  });
}

/**
 * The getToken of one job in one tenant (only that tab's tokens when `tabId` is given). Runs that write wait for a
 * token whose scopes cover the job — after a 401 too, so a run never falls back to a token that cannot do it;
 * read-only checks take the best there is and say what it lacks.
 */
export function tokenGetter(job, tid, { tabId, wait = false, prefer, onWait, onResume, signal } = {}) {
  const scope = tabId === undefined || tabId === null ? {} : { tabId };
  // `prefer`: a check made for a later job uses that job's token when there is one, so it tells what that
  // session may do (the roles it can read, the scopes it has).
  const pick = () => (prefer && store.choose(prefer, tid, scope)) ||
    (wait ? store.choose(job, tid, scope) : store.best(job, tid, scope));
  let current = null;
  return async ({ forceRefresh }) => {
    await load();
    if (forceRefresh && current) await refuse(current);
    let entry = pick();
    // Said in the admin's language: the page shows it as the refusal of what it asked.
    if (!entry && !wait) throw new Error(api.i18n.getMessage("refusedNoTenantToken") || "refusedNoTenantToken");
    if (!entry) {
      await onWait?.();
      entry = await waitFor(pick, signal);
      await onResume?.();
    }
    current = entry.token;
    return entry.token;
  };
}

/** The getToken of one kept token only: after a 401 it is forgotten and the call fails. */
export function onlyToken(entry) {
  return async ({ forceRefresh }) => {
    if (forceRefresh) {
      await refuse(entry.token);
      throw new Error("Microsoft Graph no longer accepts this token.");
    }
    return entry.token;
  };
}
