// The preview of a plan against the tenant ("Check against the tenant"), the apps others made under its keys and
// the one choice to adopt them, and the tenant confirmation that arms Register. The confirmation holds for one tenant
// and one plan: any change asks for it again. The check is the background's (its view, runs/views.js checkView),
// made for the choice it names: the popup matches them by the choice's id, and a run by what its plan asks
// (`requests`, an id the background gives both), never by holding a plan.
import { existingDetails, foreignItem } from "../existing.js";
import { foreignApps } from "../standing.js";
import { bdi, el, sentence } from "../ui/ui.js";
import { countsPhrase, renderGrants } from "./grants.js";
import { runPreflight } from "./tenant.js";
import { $, ask, isActive, selectedTenant, signedIn, t, view } from "./state.js";

export const appNames = (apps) => el("span", {}, ...apps.flatMap((e, i) => [i ? ", " : "", bdi(e.displayName), ` (${e.key})`]));

// The last check's answer, while it is of the choice on screen: which apps exist decides which get a secret.
const checked = () => (view.preview && view.choice && view.preview.choice === view.choice.id ? view.preview : null);

/** Whether the last check of the choice on screen found every app already as planned. */
export const checkedNothingToChange = () => Boolean(checked()?.nothingToChange);

export function resetConfirmation() {
  view.preview = null;
  renderGrants(view.choice);
  $("drift").replaceChildren();
  $("drift-note").replaceChildren();
  $("confirm-row").hidden = true;
  $("confirm").checked = false;
  setForeign([]);
  // Said again once pre-flight has read the (possibly other) tenant.
  $("confirm-text").replaceChildren();
}

// The one adopt choice covers every foreign app shown; a new list asks again, and so does the tenant confirmation.
function setForeign(apps) {
  view.foreign = apps;
  $("adopt").checked = false;
  $("confirm").checked = false;
  $("adopt-row").hidden = apps.length === 0;
  $("adopt-text").replaceChildren(apps.length ? sentence(t, "adoptApps", appNames(apps)) : "");
  renderConfirmText();
  updateButtons();
}

// The sentence the admin confirms names the tenant by name, domain and ID, and the apps adopted when ticked.
export function renderConfirmText() {
  const p = view.preflight;
  if (!p) return void $("confirm-text").replaceChildren();
  const adopting = $("adopt").checked && view.foreign.length > 0;
  // What the tick grants, counted from the plan: apps, tenant-wide consent, secrets and their lifetime.
  const counts = view.choice ? countsPhrase((checked() ?? view.choice).counts) : "";
  $("confirm-text").replaceChildren(adopting
    ? sentence(t, "confirmTenantAdopt", p.tenantName, p.defaultDomain ?? "", p.tenantId, appNames(view.foreign), counts)
    : sentence(t, "confirmTenant", p.tenantName, p.defaultDomain ?? "", p.tenantId, counts));
}

export function updateButtons() {
  const running = isActive(view.run);
  const tenant = view.tenants.find((x) => x.tid === selectedTenant());
  const blocked = !view.preflight || view.preflight.blockers.length > 0 || !tenant?.canRegister;
  $("check").disabled = !view.choice || !selectedTenant();
  const unadopted = view.foreign.length > 0 && !$("adopt").checked;
  $("register").disabled = running || !view.choice || blocked || unadopted || !$("confirm").checked;
  $("cancel").hidden = !running;
}

/** Pre-flight for the selected tenant, then the confirmation sentence and buttons it decides. */
export const preflight = () => runPreflight(() => {
  renderConfirmText();
  updateButtons();
});

export async function check() {
  const tid = selectedTenant();
  const previewed = view.choice;
  if (!previewed) return;
  let preview;
  try {
    preview = await ask({ type: "verify", tid, choice: previewed.id });
  } catch (err) {
    // A choice changed meanwhile is no longer the background's: the caller checks the new one.
    if (previewed !== view.choice || tid !== selectedTenant()) return;
    throw err;
  }
  if (previewed !== view.choice || tid !== selectedTenant()) return;
  const me = signedIn();
  view.preview = preview;
  renderGrants(previewed, preview);
  const drift = preview.report;
  const nothing = preview.nothingToChange;
  $("drift-note").replaceChildren(nothing ? el("strong", { className: "nothing", textContent: t("nothingToChange") }) : "");
  $("drift").replaceChildren(
    ...drift.applications.map((a) => {
      const detail = a.status === "change"
        ? [a.missingPermissions.length && `+${a.missingPermissions.join(", ")}`, a.consent !== "granted" && t(`driftConsent_${a.consent}`), !a.servicePrincipal && t("driftNoServicePrincipal")].filter(Boolean).join("; ")
        : "";
      const li = el("li", { className: a.existing?.standing === "foreign" ? `${a.status} foreign` : a.status }, `${t(`status_${a.status}`)}: `, bdi(a.displayName), detail ? ` (${detail})` : "");
      // Every app that exists says when it was made, by whom it is owned and how many secrets it holds.
      if (a.existing) li.append(existingDetails(t, a.existing, me));
      return li;
    }),
  );
  setForeign(preview.foreign);
  $("confirm-row").hidden = false;
}

// A run stopped because apps under its keys are someone else's: shown as the preview shows them, with the same
// adopt choice, when the plan on screen is the plan that stopped.
let shownStop = null;
export const forgetShownStop = () => (shownStop = null);
export function showForeignStop() {
  const run = view.run;
  if (!run || run.stopKind !== "foreignApps" || !run.foreign?.length || !view.choice) return;
  if (run.requests !== view.choice.requests) return;
  const id = `${run.id}:${run.error}`;
  if (shownStop === id) return;
  shownStop = id;
  const me = signedIn();
  $("drift-note").replaceChildren();
  $("drift").replaceChildren(...run.foreign.map((e) => foreignItem(t, e, me)));
  setForeign(foreignApps(run.foreign, view.choice.apps.map((a) => a.key)));
  $("confirm-row").hidden = false;
}

/** The keys the admin chose to adopt, as the register message carries them (only when ticked). */
export const adoption = () => ($("adopt").checked && view.foreign.length ? { adopt: view.foreign.map((e) => e.key) } : {});

/**
 * At the end of a run the preview says what is now in the tenant, and the confirmation is asked again after a new
 * check: Register does not re-arm on its own.
 */
export function showNowThere(run) {
  view.preview = null;
  $("confirm").checked = false;
  $("confirm-row").hidden = true;
  setForeign([]);
  const apps = run.report?.applications ?? [];
  const created = apps.filter((a) => a.created).length;
  $("drift").replaceChildren();
  $("drift-note").replaceChildren(el("strong", { className: "now", textContent: t("nowThere", String(apps.length), String(created), String(apps.length - created)) }));
  updateButtons();
}
