// The toolbar popup. It holds no token and runs nothing itself: it asks the background, which owns the token
// and the run, and renders what comes back. Closing it changes nothing; reopening shows the run where it is.
import { api } from "./browser.js";
import { existingDetails, foreignItem } from "./existing.js";
import { rows as keptRows } from "./journals.js";
import { lostItem } from "./lost.js";
import { foreignApps } from "./standing.js";
import { bdi, el, progressLine, resultRows, sentence } from "./ui/ui.js";

const $ = (id) => document.getElementById(id);
const t = (key, ...subs) => api.i18n.getMessage(key, subs) || key;

async function ask(message) {
  const reply = await api.runtime.sendMessage(message);
  if (!reply || reply.error) throw Object.assign(new Error(reply?.error ?? "no answer"), reply ?? {});
  return reply.result;
}

let currentPlan = null;
let preflightReport = null;
let lastRun = null;
let currentTenants = [];
// Apps under the plan's keys not made by this tool for the admin (from the preview or a foreignApps stop): Register
// writes nothing to them, and nothing at all, until the admin ticks "Adopt these apps".
let foreign = [];
let keptList = [];

function localize() {
  for (const node of document.querySelectorAll("[data-i18n]")) {
    const text = api.i18n.getMessage(node.dataset.i18n);
    if (text) node.textContent = text;
  }
  document.documentElement.lang = api.i18n.getUILanguage().split("-")[0];
}

function renderComponents(catalog) {
  const root = $("components");
  root.replaceChildren(
    ...catalog.components.map((c) => {
      const box = el("input", { type: "checkbox", id: `c-${c.code}`, checked: true });
      box.dataset.code = c.code;
      const label = el("label", { htmlFor: box.id, textContent: ` ${c.name}` });
      label.title = c.permissions.map((p) => `${p.value} (${p.kind})`).join(", ");
      const row = el("div", {}, box, label);
      if (c.multiInstance) {
        const n = el("input", { type: "number", min: 1, max: 20, value: 1, id: `n-${c.code}` });
        n.setAttribute("aria-label", t("instancesOf", c.name));
        row.append(n);
      }
      return row;
    }),
  );
}

function request() {
  const components = [...document.querySelectorAll("#components input[data-code]")]
    .filter((b) => b.checked)
    .map((b) => {
      const n = $(`n-${b.dataset.code}`);
      const entry = { code: b.dataset.code };
      if (n) entry.instances = Array.from({ length: Math.max(0, Number.parseInt(n.value, 10) || 0) }, (_, i) => String(i + 1));
      return entry;
    });
  const options = { grantAdminConsent: $("consent").checked, includeOptional: $("optional").checked };
  if (!$("secrets").checked) options.createSecret = false;
  return { components, options };
}

// The tenant confirmation holds for one tenant and one plan: any change asks for it again.
function resetConfirmation() {
  $("drift").replaceChildren();
  $("confirm-row").hidden = true;
  $("confirm").checked = false;
  setForeign([]);
  // Said again once pre-flight has read the (possibly other) tenant.
  $("confirm-text").replaceChildren();
}

const signedIn = () => currentTenants.find((x) => x.tid === selectedTenant())?.oid ?? null;
const appNames = (apps) => el("span", {}, ...apps.flatMap((e, i) => [i ? ", " : "", bdi(e.displayName), ` (${e.key})`]));

// The one adopt choice covers every foreign app shown; a new list asks again, and so does the tenant confirmation.
function setForeign(apps) {
  foreign = apps;
  $("adopt").checked = false;
  $("confirm").checked = false;
  $("adopt-row").hidden = apps.length === 0;
  $("adopt-text").replaceChildren(apps.length ? sentence(t, "adoptApps", appNames(apps)) : "");
  renderConfirmText();
  updateButtons();
}

// The sentence the admin confirms names the tenant by name, domain and ID, and the apps adopted when ticked.
function renderConfirmText() {
  const p = preflightReport;
  if (!p) return void $("confirm-text").replaceChildren();
  const adopting = $("adopt").checked && foreign.length > 0;
  $("confirm-text").replaceChildren(adopting
    ? sentence(t, "confirmTenantAdopt", p.tenantName, p.defaultDomain ?? "", p.tenantId, appNames(foreign))
    : sentence(t, "confirmTenant", p.tenantName, p.defaultDomain ?? "", p.tenantId));
}

let planSeq = 0;

async function replan() {
  const seq = ++planSeq;
  $("plan-error").textContent = "";
  currentPlan = null;
  resetConfirmation();
  let planned = null;
  try {
    planned = await ask({ type: "plan", request: request() });
  } catch (err) {
    if (seq === planSeq) showError(err);
  }
  // Only the plan of the latest choice counts; a preview or confirmation made meanwhile was for another plan.
  if (seq !== planSeq) return;
  currentPlan = planned;
  resetConfirmation();
  shownStop = null;
  showForeignStop();
  document.body.dataset.apps = String(planned?.applications.length ?? 0);
  if (selectedTenant()) runPreflight();
}

// An error's message may quote names from Graph: isolated.
const showError = (err) => $("plan-error").replaceChildren(bdi(err.message));
const selectedTenant = () => $("tenant-select").value || null;
let preflightSeq = 0;

async function runPreflight() {
  const tid = selectedTenant();
  preflightReport = null;
  if (!tid || !currentPlan) return;
  const seq = ++preflightSeq;
  try {
    const p = await ask({ type: "preflight", tid, plan: currentPlan });
    if (seq !== preflightSeq || tid !== selectedTenant()) return;
    preflightReport = p;
    $("tenant-details").replaceChildren(bdi(p.tenantName), ` · ${p.defaultDomain ?? ""} · `, bdi(p.userPrincipalName), ` (${p.roles.join(", ") || t("noRoles")})`);
    const yes = (b) => (b ? "✓" : "✗");
    $("capabilities").textContent =
      `${yes(p.canCreateApps)} ${t("canCreate")}  ${yes(p.canGrantDelegated)} ${t("canDelegated")}  ${yes(p.canGrantApplication)} ${t("canApplication")}`;
    // Pre-flight's sentences may quote names from the tenant (its roles, its user): isolated like every such name.
    $("blockers").replaceChildren(...p.blockers.map((b) => el("li", {}, bdi(b))));
    $("warnings").replaceChildren(...(p.warnings ?? []).map((w) => el("li", {}, bdi(typeof w === "string" ? w : w.message))));
    renderConfirmText();
  } catch (err) {
    if (seq !== preflightSeq) return;
    $("blockers").replaceChildren(el("li", {}, bdi(err.message)));
  }
  updateButtons();
}

function updateButtons() {
  const running = lastRun && (lastRun.status === "running" || lastRun.status === "waitingToken");
  const tenant = currentTenants.find((x) => x.tid === selectedTenant());
  const blocked = !preflightReport || preflightReport.blockers.length > 0 || !tenant?.canRegister;
  $("check").disabled = !currentPlan || !selectedTenant();
  const unadopted = foreign.length > 0 && !$("adopt").checked;
  $("register").disabled = running || !currentPlan || blocked || unadopted || !$("confirm").checked;
  $("cancel").hidden = !running;
}

async function check() {
  const tid = selectedTenant();
  const previewed = currentPlan;
  if (!previewed) return;
  const drift = await ask({ type: "verify", tid, plan: previewed });
  if (previewed !== currentPlan || tid !== selectedTenant()) return;
  const me = signedIn();
  $("drift").replaceChildren(
    ...drift.applications.map((a) => {
      const detail = a.status === "change"
        ? [a.missingPermissions.length && `+${a.missingPermissions.join(", ")}`, a.consent !== "granted" && `consent: ${a.consent}`, !a.servicePrincipal && "no service principal"].filter(Boolean).join("; ")
        : "";
      const li = el("li", { className: a.existing?.standing === "foreign" ? `${a.status} foreign` : a.status }, `${t(`status_${a.status}`)}: `, bdi(a.displayName), detail ? ` (${detail})` : "");
      // Every app that exists says when it was made, by whom it is owned and how many secrets it holds.
      if (a.existing) li.append(existingDetails(t, a.existing, me));
      return li;
    }),
  );
  setForeign(foreignApps(drift.applications.map((a) => a.existing).filter(Boolean), previewed.applications.map((a) => a.key)));
  $("confirm-row").hidden = false;
}

// A run stopped because apps under its keys are someone else's: shown as the preview shows them, with the same
// adopt choice, when the plan on screen is the plan that stopped.
let shownStop = null;
function showForeignStop() {
  const run = lastRun;
  if (!run || run.stopKind !== "foreignApps" || !run.foreign?.length || !currentPlan) return;
  if (JSON.stringify(run.plan) !== JSON.stringify(currentPlan)) return;
  const id = `${run.id}:${run.error}`;
  if (shownStop === id) return;
  shownStop = id;
  const me = signedIn();
  $("drift").replaceChildren(...run.foreign.map((e) => foreignItem(t, e, me)));
  setForeign(foreignApps(run.foreign, currentPlan.applications.map((a) => a.key)));
  $("confirm-row").hidden = false;
}

const clientName = (s) => (s.client ? t(`client_${s.client}`) : t("client_other", s.appid ?? "?"));
const until = (exp) => new Date(exp * 1000).toLocaleTimeString();

// Which portal session (blade) the popup uses, what each one seen can do, and what to do when none can register.
function renderSessions() {
  const tenant = currentTenants.find((x) => x.tid === selectedTenant());
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

function renderTenants(tenants, activeTab) {
  currentTenants = tenants;
  const select = $("tenant-select");
  const previous = select.value;
  // An option holds text only: the user name (from the token) is isolated with FSI … PDI, the plain-text form of
  // <bdi> (Unicode UAX #9, explicit directional isolates).
  select.replaceChildren(...tenants.map((x) => el("option", { value: x.tid, textContent: `\u2068${x.upn ?? "?"}\u2069 · ${x.tid}` })));
  const ofTab = tenants.find((x) => x.tabs.includes(activeTab));
  if (tenants.some((x) => x.tid === previous)) select.value = previous;
  else if (ofTab) select.value = ofTab.tid;
  if (select.value !== previous) resetConfirmation();
  $("no-token").hidden = tenants.length > 0;
  $("tenant-info").hidden = tenants.length === 0;
  renderSessions();
}

async function renderRun(run) {
  lastRun = run;
  updateButtons();
  if (!run) return;
  $("progress-section").hidden = false;
  const status = { running: t("running"), waitingToken: t("waitingToken"), done: t("done"), stopped: t("stopped"), cancelled: t("cancelledRun"), rolledBack: t("rolledBack") }[run.status] ?? run.status;
  // A foreignApps stop is told in the admin's language and shown below as the preview shows such apps; any other
  // stop's message (which may quote names from Graph) is isolated.
  if (run.stopKind === "foreignApps" && run.foreign?.length) $("run-status").replaceChildren(`${status}: ${t("foreignStopped", String(run.foreign.length))}`);
  else $("run-status").replaceChildren(status, ...(run.error ? [": ", bdi(run.error)] : []));
  showForeignStop();
  renderKept();
  $("progress").replaceChildren(...run.progress.slice(-60).map((e) => progressLine(t, e)));
  if (run.report) {
    $("results-section").hidden = false;
    $("results").tBodies[0].replaceChildren(...resultRows(t, run.report));
    const adopted = run.report.applications.filter((a) => a.adopted);
    $("adopted").hidden = adopted.length === 0;
    $("adopted").replaceChildren(adopted.length ? sentence(t, "adoptedApps", appNames(adopted.map((a) => ({ displayName: a.displayName, key: a.key })))) : "");
  }
}

// The secrets waiting to be stored are counted here and shown on the results page, which stays open while the
// admin copies them elsewhere; a lost one is said here until the admin made a new one.
async function renderSecrets() {
  const { waiting, lost } = await ask({ type: "secrets" });
  $("secrets-note").hidden = waiting.length === 0 && lost.length === 0;
  $("secrets-waiting").hidden = waiting.length === 0;
  $("secrets-count").textContent = waiting.length === 1 ? t("secretWaiting") : t("secretsWaiting", String(waiting.length));
  document.body.dataset.secrets = String(waiting.length);
  $("secrets-lost").replaceChildren(...lost.map((m) => lostItem(t, m, () =>
    ask({ type: "markSecretsStored", keyIds: [m.keyId] }).catch(showError))));
}

const activeRunId = () => (lastRun && (lastRun.status === "running" || lastRun.status === "waitingToken") ? lastRun.id : null);

// The kept runs (storage.local): each with its date, job, tenant and app count, each rollback-able until it is
// rolled back. A first click arms the button; the second rolls back.
function renderKept() {
  const list = keptRows(keptList, activeRunId());
  $("runs-section").hidden = list.length === 0;
  $("runs").replaceChildren(...list.map((r) => {
    const li = el("li", {}, sentence(t, "keptRow", new Date(r.at).toLocaleString(), t(`job_${r.job}`), r.tid, String(r.apps), t(`kept_${r.status}`)));
    li.dataset.id = r.id;
    li.dataset.status = r.status;
    if (r.canRollBack) {
      const b = el("button", { type: "button", className: "small danger", textContent: t("rollBackRun") });
      b.addEventListener("click", async () => {
        if (!b.dataset.armed) {
          b.dataset.armed = "true";
          b.textContent = t("rollBackRunConfirm");
          return;
        }
        b.disabled = true;
        try {
          const done = await ask({ type: "rollback", id: r.id });
          li.append(" ", el("span", { className: "muted", textContent: `${t("rolledBack")}: ${done.deleted.length}` }));
        } catch (err) {
          li.append(" ", el("span", { className: "bad" }, bdi(err.message)));
        }
      });
      li.append(b);
    }
    return li;
  }));
}

function results() {
  const r = lastRun.report;
  return { tenantId: r.tenantId, applications: r.applications.map(({ key, appId, objectId }) => ({ key, appId, objectId })) };
}

async function main() {
  localize();
  // Listen before asking: a token checked or a run step made while the popup opens must not go unseen until the
  // next change. What arrives before the first render is caught up right after it.
  let tab = null;
  let started = false;
  let missed = false;
  api.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && changes.journals) {
      keptList = changes.journals.newValue ?? [];
      if (started) {
        renderKept();
        renderSecrets().catch(showError);
      }
      return;
    }
    if (area === "session" && changes.secrets && started) renderSecrets().catch(showError);
    if (area !== "session" || !(changes.run || changes.tokens)) return;
    if (!started) {
      missed = true;
      return;
    }
    if (changes.run) renderRun(changes.run.newValue);
    if (changes.tokens) refreshTenants();
  });
  function refreshTenants() {
    ask({ type: "state" }).then((s) => {
      const before = JSON.stringify(currentTenants.find((x) => x.tid === selectedTenant())?.uses);
      renderTenants(s.tenants, tab?.id);
      const after = JSON.stringify(currentTenants.find((x) => x.tid === selectedTenant())?.uses);
      if (before !== after || !preflightReport) runPreflight();
      else updateButtons();
    });
  }
  const state = await ask({ type: "state" });
  [tab] = await api.tabs.query({ active: true, currentWindow: true }).catch(() => []);
  renderComponents(state.catalog);
  renderTenants(state.tenants, tab?.id);
  $("open-appregs").addEventListener("click", () =>
    ask({ type: "openAppRegistrations", tid: selectedTenant() }).catch(showError));
  document.body.addEventListener("change", (e) => {
    if (e.target.closest("#picker")) replan();
    if (e.target.id === "tenant-select") {
      resetConfirmation();
      renderSessions();
      runPreflight();
    }
    if (e.target.id === "confirm") updateButtons();
    // Adopting or not is part of what the admin confirms: the sentence changes, and the confirmation is asked again.
    if (e.target.id === "adopt") {
      $("confirm").checked = false;
      renderConfirmText();
      updateButtons();
    }
  });
  $("check").addEventListener("click", () => check().catch(showError));
  $("register").addEventListener("click", async () => {
    const tid = selectedTenant();
    try {
      const adopt = $("adopt").checked && foreign.length ? { adopt: foreign.map((e) => e.key) } : {};
      await ask({ type: "register", tid, plan: currentPlan, confirmedTenant: $("confirm").checked ? tid : "", ...adopt });
    } catch (err) {
      showError(err);
    }
  });
  $("cancel").addEventListener("click", () => ask({ type: "cancel" }));
  // A tab of the extension's own needs no permission, and it stays open when focus moves to a vault.
  $("open-secrets").addEventListener("click", () => api.tabs.create({ url: api.runtime.getURL("results.html") }));
  $("copy-csv").addEventListener("click", async () => {
    await navigator.clipboard.writeText(await ask({ type: "export", plan: lastRun.plan, format: "ids-csv", results: results() }));
    $("copied").textContent = t("copiedAll");
  });
  $("copy-json").addEventListener("click", async () => {
    await navigator.clipboard.writeText(JSON.stringify(results(), null, 2));
    $("copied").textContent = t("copiedAll");
  });
  $("download").addEventListener("click", () => {
    const url = URL.createObjectURL(new Blob([JSON.stringify(lastRun.report, null, 2)], { type: "application/json" }));
    el("a", { href: url, download: "lucs-registration-report.json" }).click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  let armed = false;
  $("rollback").addEventListener("click", async () => {
    if (!armed) {
      armed = true;
      $("rollback").textContent = t("rollbackConfirm");
      return;
    }
    const done = await ask({ type: "rollback", id: lastRun.id });
    $("copied").textContent = `${t("rolledBack")}: ${done.deleted.length}`;
  });
  await renderRun(state.run);
  await renderSecrets();
  started = true;
  if (missed) {
    const { run } = await api.storage.session.get("run");
    await renderRun(run ?? null);
    await renderSecrets();
    refreshTenants();
  }
  document.body.dataset.ready = "true";
  performance.mark("lucs-popup-ready");
  replan();
  // The earlier runs are listed below everything else: read once the popup is usable.
  const { journals } = await api.storage.local.get("journals");
  if (!keptList.length) keptList = journals ?? [];
  renderKept();
}

main().catch(showError);
