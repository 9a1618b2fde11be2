// The toolbar popup. It holds no token and runs nothing itself: it asks the background, which owns the token
// and the run, and renders what comes back. Closing it changes nothing; reopening shows the run where it is.
// Each part of the page is a module in popup/; this file wires them to the page's events and the background's
// storage changes.
//
// The popup says it is ready (body[data-ready], the lucs-popup-ready mark) only once the plan of the choice on
// screen and, with a tenant, its pre-flight are drawn, so nothing under the pointer moves after that: what arrives
// later (a token checked, a run step) changes text in place or appears on a click.
//
// It holds no plan: what it draws of the choice, the check, the run and the kept runs are the background's views
// of them (runs/views.js) from storage.session. At open it reads them in one get, beside the two questions only the
// background answers (tenants, secrets), and draws the choice the background already holds when it is the choice
// on screen, so a popup opened again is ready without waiting for a plan. popup.html preloads every module.
import { api } from "./browser.js";
import { renderKept } from "./popup/kept.js";
import { renderComponents, request } from "./popup/picker.js";
import { adoption, check, forgetShownStop, preflight, renderConfirmText, resetConfirmation, showForeignStop, updateButtons } from "./popup/preview.js";
import { bindResults, renderRun } from "./popup/run.js";
import { bindSecrets, renderSecrets } from "./popup/secrets.js";
import { $, ask, busy, selectedTenant, showError, t, view } from "./popup/state.js";
import { loadTenantNames, renderSessions, renderTenants } from "./popup/tenant.js";

function localize() {
  for (const node of document.querySelectorAll("[data-i18n]")) {
    const text = api.i18n.getMessage(node.dataset.i18n);
    if (text) node.textContent = text;
  }
  document.documentElement.lang = api.i18n.getMessage("options_lang") || "en";
}

// ---- The plan of the choice on screen ------------------------------------------------------------------------
// Typing re-plans after a pause (input, debounced), leaving a field or ticking a box at once (change). While the
// choice on screen has no plan yet it is "dirty": a Check pressed meanwhile waits for that plan instead of being
// dropped or made for the plan before.
const TYPING_PAUSE_MS = 250;
let planSeq = 0;
let timer = null;
let dirty = false;
const waiting = [];

const whenPlanned = () => (dirty ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve());

function planSoon(delay) {
  dirty = true;
  // What was previewed and confirmed was for the choice before: asked again, as soon as the choice changes.
  resetConfirmation();
  updateButtons();
  clearTimeout(timer);
  timer = delay ? setTimeout(replan, delay) : null;
  if (!delay) replan();
}

/**
 * Plans the choice on screen, then runs pre-flight for it; resolves once both are drawn. `held`: the view of the
 * choice the background holds (storage.session), taken instead of asking when it was made of this very request.
 */
async function replan(held = null) {
  clearTimeout(timer);
  timer = null;
  const seq = ++planSeq;
  $("plan-error").textContent = "";
  let chosen = null;
  const source = request();
  try {
    chosen = held && JSON.stringify(held.request) === JSON.stringify(source) ? held : await ask({ type: "choose", request: source });
  } catch (err) {
    if (seq === planSeq) showError(err, source);
  }
  // Only the plan of the latest choice counts; a preview or confirmation made meanwhile was for another plan.
  if (seq !== planSeq) return;
  view.choice = chosen ?? null;
  resetConfirmation();
  forgetShownStop();
  showForeignStop();
  document.body.dataset.apps = String(view.choice?.apps.length ?? 0);
  if (timer === null) {
    dirty = false;
    for (const resolve of waiting.splice(0)) resolve();
  }
  if (selectedTenant()) await preflight();
  else updateButtons();
}

/** The preview for the plan on screen; made again when a re-plan (or another tenant) overtook it. */
async function checkLatest() {
  for (;;) {
    await whenPlanned();
    const choice = view.choice;
    const tid = selectedTenant();
    await check();
    if (!dirty && view.choice === choice && selectedTenant() === tid) return;
  }
}

function showTenants(tenants, tab) {
  if (renderTenants(tenants, tab)) resetConfirmation();
}

async function main() {
  localize();
  // Listen before asking: a token checked or a run step made while the popup opens must not go unseen until the
  // next change. What arrives before the first render is caught up right after it.
  let tab = null;
  let started = false;
  let missed = false;
  api.storage.onChanged.addListener((changes, area) => {
    if (area !== "session") return;
    if (changes.keptView) {
      view.kept = changes.keptView.newValue ?? [];
      if (started) {
        renderKept();
        renderSecrets().catch(showError);
      }
    }
    if (changes.secrets && started && !changes.keptView) renderSecrets().catch(showError);
    if (!(changes.runView || changes.tokens)) return;
    if (!started) {
      missed = true;
      return;
    }
    if (changes.runView) renderRun(changes.runView.newValue ?? null);
    if (changes.tokens) refreshTenants();
  });
  function refreshTenants() {
    return ask({ type: "state" }).then((s) => {
      const uses = () => JSON.stringify(view.tenants.find((x) => x.tid === selectedTenant())?.uses);
      const before = uses();
      showTenants(s.tenants, tab?.id);
      if (before !== uses() || !view.preflight) return preflight();
      return updateButtons();
    });
  }
  // Everything drawn at open in one read of storage.session, beside the background's answers, all at once.
  const secrets = ask({ type: "secrets" });
  secrets.catch(() => {});
  const [state, stored, tabs] = await Promise.all([
    ask({ type: "state" }),
    api.storage.session.get(["tenantNames", "keptView", "choiceView"]).catch(() => ({})),
    api.tabs.query({ active: true, currentWindow: true }).catch(() => []),
  ]);
  [tab] = tabs;
  loadTenantNames(stored.tenantNames);
  view.kept = stored.keptView ?? [];
  renderComponents(state.catalog);
  showTenants(state.tenants, tab?.id);
  $("open-appregs").addEventListener("click", (e) =>
    busy(e.currentTarget, t("opening"), () => ask({ type: "openAppRegistrations", tid: selectedTenant() })).catch(showError));
  document.body.addEventListener("input", (e) => {
    if (e.target.closest("#picker")) planSoon(TYPING_PAUSE_MS);
  });
  document.body.addEventListener("change", (e) => {
    if (e.target.closest("#picker")) planSoon(0);
    if (e.target.id === "tenant-select") {
      resetConfirmation();
      renderSessions();
      preflight();
    }
    if (e.target.id === "confirm") updateButtons();
    // Adopting or not is part of what the admin confirms: the sentence changes, and the confirmation is asked again.
    if (e.target.id === "adopt") {
      $("confirm").checked = false;
      renderConfirmText();
      updateButtons();
    }
  });
  $("check").addEventListener("click", (e) => busy(e.currentTarget, t("checking"), checkLatest).then(updateButtons).catch(showError));
  $("register").addEventListener("click", (e) => busy(e.currentTarget, t("starting"), async () => {
    const tid = selectedTenant();
    await ask({ type: "register", tid, choice: view.choice?.id, confirmedTenant: $("confirm").checked ? tid : "", ...adoption() });
  }).then(updateButtons).catch(showError));
  $("cancel").addEventListener("click", (e) => busy(e.currentTarget, t("cancelling"), () => ask({ type: "cancel" })).catch(showError));
  bindSecrets();
  $("open-health").addEventListener("click", () => api.tabs.create({ url: api.runtime.getURL("health.html") }));
  bindResults();
  renderRun(state.run);
  renderKept();
  await renderSecrets(secrets);
  started = true;
  if (missed) {
    const { runView } = await api.storage.session.get("runView");
    renderRun(runView ?? null);
    await renderSecrets();
    await refreshTenants();
  }
  await replan(stored.choiceView ?? null);
  document.body.dataset.ready = "true";
  performance.mark("lucs-popup-ready");
}

main().catch(showError);
