// Which Graph token to use for what. Pure (no browser API), so node tests import it as is.
//
// The portal holds several Graph tokens per tenant at once, one per first-party client (the `appid` claim), each
// with its own pre-consented scopes: only the App registrations blade's token may write apps and grant consent
// (dirkjanm/ROADtools roadtx/roadtools/roadtx/firstpartyscopes.json). So every token is kept, per tenant, client and
// tab; a job takes a token whose scopes cover all of its calls (the Wasm's `decodeToken(jwt).jobs`, computed from
// Microsoft's per-call permission tables), the newest expiry first.
//
// Any script in a portal page can send a Graph request with a made-up token. Such a token is only a candidate: it
// is used, and replaces the token kept for its tenant, client and tab, only once Graph has answered a call made
// with it (see `confirm`), and one Graph refuses is forgotten for good.

/** Portal clients whose name we can show. */
const KNOWN_CLIENTS = {
  // Microsoft_AAD_RegisteredApps, the App registrations blades.
  "18ed3507-a475-4ccb-b669-d66bc9f2a36e": "appRegistrations",
  // ADIbizaUX / Microsoft_AAD_IAM, the Entra ID blades.
  "74658136-14ec-4630-ad9b-26e160ff0fc6": "entraBlades",
  // Azure Portal, the shell itself.
  "c44b4083-3bb0-49c1-b47d-974e53cbdf3c": "portalShell",
};

export const JOBS = ["preflight", "verify", "register", "apply", "rollback"];

// A token this close to expiry is not handed to a run: a batch can take that long.
const MARGIN_MS = 60_000;
const REMEMBERED_REFUSALS = 200;

const keyOf = (claims, tabId) => `${claims.tid}|${claims.appid ?? "?"}|${tabId ?? "-"}`;

const missingFor = (claims, job) => claims.jobs?.[job]?.missingScopes ?? null;

/** Whether the claims' scopes cover every call of `job` (unknown means no). */
export function covers(claims, job) {
  const missing = missingFor(claims, job);
  return Array.isArray(missing) && missing.length === 0;
}

export class TokenStore {
  constructor(now = () => Date.now()) {
    this.now = now;
    /** key → { token, claims, tabId, graphBaseUrl, source, seenAt } — only tokens Graph has accepted. */
    this.kept = new Map();
    /** token → candidate entry, while a Graph call with it is under way. */
    this.pending = new Map();
    this.refused = new Set();
    this.seq = 0;
  }

  usable(entry) {
    return Boolean(entry) && typeof entry.claims.exp === "number" && entry.claims.exp * 1000 > this.now() + MARGIN_MS;
  }

  /**
   * A token seen on the wire (or pasted). Returns "kept" when it is already in use, "refused" when Graph refused
   * it before, "pending" when it is being checked, or "check" with the candidate to check with a Graph call.
   */
  offer(token, claims, { tabId = null, graphBaseUrl, source }) {
    if (this.refused.has(token)) return { status: "refused" };
    if (this.pending.has(token)) return { status: "pending" };
    for (const entry of this.kept.values()) {
      if (entry.token === token && entry.tabId === tabId) {
        entry.seenAt = ++this.seq;
        return { status: "kept", entry };
      }
    }
    const candidate = { token, claims, tabId, graphBaseUrl, source, seenAt: ++this.seq };
    this.pending.set(token, candidate);
    return { status: "check", candidate };
  }

  /** Graph answered a call made with the candidate: from now on it is kept (and replaces its predecessor). */
  confirm(candidate) {
    this.pending.delete(candidate.token);
    if (this.refused.has(candidate.token)) return null;
    const key = keyOf(candidate.claims, candidate.tabId);
    const previous = this.kept.get(key);
    // An older token of the same client may be confirmed late; it never displaces a later one.
    if (previous && this.usable(previous) && (previous.claims.exp ?? 0) > (candidate.claims.exp ?? 0)) return previous;
    this.kept.set(key, candidate);
    return candidate;
  }

  /** Graph refused the token (401), or the check could not be made: forget it. */
  refuse(token, { remember = true } = {}) {
    this.pending.delete(token);
    if (remember) {
      this.refused.add(token);
      if (this.refused.size > REMEMBERED_REFUSALS) this.refused.delete(this.refused.values().next().value);
    }
    for (const [key, entry] of this.kept) if (entry.token === token) this.kept.delete(key);
  }

  /** Kept, unexpired tokens of a tenant (of one tab when `tabId` is given). */
  tokensOf(tid, { tabId } = {}) {
    return [...this.kept.values()]
      .filter((e) => e.claims.tid === tid && this.usable(e) && (tabId === undefined || e.tabId === tabId));
  }

  /** The token for `job`: one whose scopes cover the job, the newest expiry first; null when none does. */
  choose(job, tid, scope = {}) {
    return newestFirst(this.tokensOf(tid, scope).filter((e) => covers(e.claims, job)))[0] ?? null;
  }

  /** For read-only jobs that still tell something with fewer scopes: covering first, else the fewest missing. */
  best(job, tid, scope = {}) {
    const missing = (e) => missingFor(e.claims, job)?.length ?? Number.POSITIVE_INFINITY;
    const sorted = newestFirst(this.tokensOf(tid, scope)).sort((a, b) => missing(a) - missing(b));
    return sorted[0] ?? null;
  }

  /** The tenant a tab is in: that of the token it sent last. */
  tabTenant(tabId) {
    let latest = null;
    for (const e of this.kept.values()) {
      if (e.tabId === tabId && this.usable(e) && (!latest || e.seenAt > latest.seenAt)) latest = e;
    }
    return latest?.claims.tid ?? null;
  }

  /** The portal tabs that sent tokens of this tenant, the one that sent one last first. */
  tabsOf(tid) {
    const latest = new Map();
    for (const e of this.kept.values()) {
      if (e.claims.tid === tid && e.tabId !== null) latest.set(e.tabId, Math.max(latest.get(e.tabId) ?? 0, e.seenAt));
    }
    return [...latest.keys()].sort((a, b) => latest.get(b) - latest.get(a));
  }

  tabOf(tid) {
    return this.tabsOf(tid)[0] ?? null;
  }

  /** Tenants with a kept token, the one seen last first (where the admin works now). */
  tenantIds() {
    const latest = new Map();
    for (const e of this.kept.values()) latest.set(e.claims.tid, Math.max(latest.get(e.claims.tid) ?? 0, e.seenAt));
    return [...latest.keys()].sort((a, b) => latest.get(b) - latest.get(a));
  }

  /** What the popup shows of a tenant's tokens: whose they are and what they can do; never a token. */
  sessions(tid) {
    return newestFirst([...this.kept.values()].filter((e) => e.claims.tid === tid)).map((e) => ({
      appid: e.claims.appid ?? null,
      client: KNOWN_CLIENTS[e.claims.appid] ?? null,
      upn: e.claims.upn ?? null,
      exp: e.claims.exp,
      usable: this.usable(e),
      fromTab: e.tabId !== null,
      source: e.source,
      can: JOBS.filter((job) => covers(e.claims, job)),
      missing: Object.fromEntries(JOBS.map((job) => [job, missingFor(e.claims, job) ?? []])),
    }));
  }

  /** For storage.session: the kept tokens only (a candidate is checked again after a restart). */
  snapshot() {
    return [...this.kept.values()];
  }

  restore(entries) {
    for (const e of entries ?? []) {
      if (e?.token && e.claims?.tid) {
        e.seenAt = Number.isFinite(e.seenAt) ? e.seenAt : ++this.seq;
        this.seq = Math.max(this.seq, e.seenAt);
        this.kept.set(keyOf(e.claims, e.tabId), e);
      }
    }
  }
}

function newestFirst(entries) {
  return [...entries].sort((a, b) => (b.claims.exp ?? 0) - (a.claims.exp ?? 0));
}
