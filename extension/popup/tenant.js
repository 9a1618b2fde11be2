// The tenant the popup works in: the tenants the background has tokens for, named as an admin tells them apart
// (name, default domain and the start of the ID: two tenants with the same admin differ in more than a GUID), the
// portal tab's own tenant marked, who is signed in, and pre-flight's word on what that user may do. Which portal
// session (blade) is used and what each can do is there on demand, under "Details".
import { api } from "../browser.js";
import { bdi, el, sentence } from "../ui/ui.js";
import { renderLifetimes } from "./lifetime.js";
import { preflightParts } from "./words.js";
import { $, ask, selectedTenant, t, view } from "./state.js";

const clientName = (s) => (s.client ? t(`client_${s.client}`) : t("client_other", s.appid ?? "?"));
const until = (exp) => new Date(exp * 1000).toLocaleTimeString();

// Tenant names and default domains pre-flight has read, kept for the browser session (no token, nothing secret), so
// the list names every tenant it has seen, not only the selected one.
const names = new Map();

/** Takes the names kept in storage.session (`tenantNames`, read with everything else the popup draws at open). */
export function loadTenantNames(tenantNames) {
  for (const [tid, n] of Object.entries(tenantNames ?? {})) if (!names.has(tid)) names.set(tid, n);
}

function rememberName(p) {
  const known = names.get(p.tenantId);
  if (known?.name === p.tenantName && known?.domain === (p.defaultDomain ?? null)) return false;
  names.set(p.tenantId, { name: p.tenantName, domain: p.defaultDomain ?? null });
  api.storage.session.set({ tenantNames: Object.fromEntries(names) }).catch(() => {});
  return true;
}

// An option holds text only: names from the tenant and the token are isolated with FSI … PDI, the plain-text form
// of <bdi> (Unicode UAX #9, explicit directional isolates).
const isolate = (s) => `\u2068${s}\u2069`;

/** "Fabrikam — fabrikam.example (140bc60d…)"; without a name yet, the signed-in user and the ID's start. */
function tenantLabel(x, activeTab) {
  const n = names.get(x.tid);
  const id = `${x.tid.slice(0, 8)}…`;
  const label = n?.name
    ? `${isolate(n.name)}${n.domain ? ` — ${isolate(n.domain)}` : ""} (${id})`
    : `${isolate(x.upn ?? "?")} (${id})`;
  return x.tabs.includes(activeTab) ? `${label} · ${t("tenantOfTab")}` : label;
}

let shownTab = null;

// "Signed in as admin@… ✓" when a session of this tenant can register; the sessions and what each can do on demand.
export function renderSessions() {
  const tenant = view.tenants.find((x) => x.tid === selectedTenant());
  if (!tenant) return;
  const used = tenant.sessions.find((s) => s.usable && s.appid === (tenant.uses.register ?? tenant.uses.preflight));
  $("signed-in").replaceChildren(sentence(t, "signedInAs", tenant.upn ?? "?"), tenant.canRegister ? " ✓" : "");
  $("session").textContent = used
    ? t("usingSession", clientName(used), used.can.map((job) => t(`job_${job}`)).join(", ") || t("job_none"), until(used.exp))
    : "";
  $("sessions").replaceChildren(...tenant.sessions.filter((s) => s !== used).map((s) =>
    el("li", { className: "session muted", textContent: `${clientName(s)}: ${s.can.map((job) => t(`job_${job}`)).join(", ") || t("job_none")}${s.usable ? "" : ` (${t("expired")})`}` })));
  $("no-register").hidden = tenant.canRegister;
  $("open-appregs").hidden = !tenant.portalTab;
}

function renderOptions() {
  const select = $("tenant-select");
  const wanted = view.tenants.map((x) => [x.tid, tenantLabel(x, shownTab)]);
  const same = select.options.length === wanted.length &&
    wanted.every(([tid, label], i) => select.options[i].value === tid && select.options[i].text === label);
  if (same) return;
  const previous = select.value;
  select.replaceChildren(...wanted.map(([tid, label]) => el("option", { value: tid, textContent: label })));
  if (wanted.some(([tid]) => tid === previous)) select.value = previous;
}

/** Lists the tenants, keeping the one chosen or else the active tab's; true when the selection changed. */
export function renderTenants(tenants, activeTab) {
  view.tenants = tenants;
  shownTab = activeTab;
  const select = $("tenant-select");
  const previous = select.value;
  renderOptions();
  const ofTab = tenants.find((x) => x.tabs.includes(activeTab));
  if (tenants.some((x) => x.tid === previous)) select.value = previous;
  else if (ofTab) select.value = ofTab.tid;
  $("no-token").hidden = tenants.length > 0;
  $("tenant-info").hidden = tenants.length === 0;
  renderSessions();
  return select.value !== previous;
}

let preflightSeq = 0;

/** Asks pre-flight for the selected tenant and plan; `then` runs once its answer (or error) is on screen. */
export async function runPreflight(then) {
  const tid = selectedTenant();
  view.preflight = null;
  if (!tid || !view.choice) return then();
  const seq = ++preflightSeq;
  try {
    const p = await ask({ type: "preflight", tid, choice: view.choice.id });
    if (seq !== preflightSeq || tid !== selectedTenant()) return;
    view.preflight = p;
    // Only the lifetimes the tenant's policy allows; a choice it no longer allows is made again (a change in #picker).
    if (renderLifetimes(p.secretLifetimes)) $("lifetime").dispatchEvent(new Event("change", { bubbles: true }));
    if (rememberName(p)) renderOptions();
    $("tenant-details").replaceChildren(bdi(p.tenantName), ` · ${p.defaultDomain ?? ""} · `, bdi(p.userPrincipalName), ` (${p.roles.join(", ") || t("noRoles")})`);
    const yes = (b) => (b ? "✓" : "✗");
    $("capabilities").textContent =
      `${yes(p.canCreateApps)} ${t("canCreate")}  ${yes(p.canGrantDelegated)} ${t("canDelegated")}  ${yes(p.canGrantApplication)} ${t("canApplication")}`;
    // Pre-flight's sentences may quote names from the tenant (its roles, its user): isolated like every such name.
    $("blockers").replaceChildren(...p.blockers.map((b) => el("li", {}, ...preflightParts(b))));
    $("warnings").replaceChildren(...(p.warnings ?? []).map((w) => el("li", {}, ...preflightParts(typeof w === "string" ? w : w.message))));
  } catch (err) {
    if (seq !== preflightSeq) return;
    $("blockers").replaceChildren(el("li", {}, bdi(err.message)));
  }
  then();
}
