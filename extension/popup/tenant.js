// The tenant the popup works in: the tenants the background has tokens for, which portal session (blade) is used and
// what it can do, and pre-flight's word on the signed-in user's roles.
import { bdi, el } from "../ui/ui.js";
import { $, ask, selectedTenant, t, view } from "./state.js";

const clientName = (s) => (s.client ? t(`client_${s.client}`) : t("client_other", s.appid ?? "?"));
const until = (exp) => new Date(exp * 1000).toLocaleTimeString();

// Which portal session (blade) the popup uses, what each one seen can do, and what to do when none can register.
export function renderSessions() {
  const tenant = view.tenants.find((x) => x.tid === selectedTenant());
  if (!tenant) return;
  const used = tenant.sessions.find((s) => s.usable && s.appid === (tenant.uses.register ?? tenant.uses.preflight));
  $("session").textContent = used
    ? t("usingSession", clientName(used), used.can.map((job) => t(`job_${job}`)).join(", ") || t("job_none"), until(used.exp))
    : "";
  $("sessions").replaceChildren(...tenant.sessions.filter((s) => s !== used).map((s) =>
    el("li", { className: "session muted", textContent: `${clientName(s)}: ${s.can.map((job) => t(`job_${job}`)).join(", ") || t("job_none")}${s.usable ? "" : ` (${t("expired")})`}` })));
  $("no-register").hidden = tenant.canRegister;
  $("open-appregs").hidden = !tenant.portalTab;
}

/** Lists the tenants, keeping the one chosen or else the active tab's; true when the selection changed. */
export function renderTenants(tenants, activeTab) {
  view.tenants = tenants;
  const select = $("tenant-select");
  const previous = select.value;
  // An option holds text only: the user name (from the token) is isolated with FSI … PDI, the plain-text form of
  // <bdi> (Unicode UAX #9, explicit directional isolates).
  select.replaceChildren(...tenants.map((x) => el("option", { value: x.tid, textContent: `\u2068${x.upn ?? "?"}\u2069 · ${x.tid}` })));
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
  if (!tid || !view.plan) return then();
  const seq = ++preflightSeq;
  try {
    const p = await ask({ type: "preflight", tid, plan: view.plan });
    if (seq !== preflightSeq || tid !== selectedTenant()) return;
    view.preflight = p;
    $("tenant-details").replaceChildren(bdi(p.tenantName), ` · ${p.defaultDomain ?? ""} · `, bdi(p.userPrincipalName), ` (${p.roles.join(", ") || t("noRoles")})`);
    const yes = (b) => (b ? "✓" : "✗");
    $("capabilities").textContent =
      `${yes(p.canCreateApps)} ${t("canCreate")}  ${yes(p.canGrantDelegated)} ${t("canDelegated")}  ${yes(p.canGrantApplication)} ${t("canApplication")}`;
    // Pre-flight's sentences may quote names from the tenant (its roles, its user): isolated like every such name.
    $("blockers").replaceChildren(...p.blockers.map((b) => el("li", {}, bdi(b))));
    $("warnings").replaceChildren(...(p.warnings ?? []).map((w) => el("li", {}, bdi(typeof w === "string" ? w : w.message))));
  } catch (err) {
    if (seq !== preflightSeq) return;
    $("blockers").replaceChildren(el("li", {}, bdi(err.message)));
  }
  then();
}
