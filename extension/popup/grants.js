// What a plan will grant, shown once a plan exists and before anything is written: per app its Microsoft Graph
// permissions by Graph's names, delegated and application apart; whether admin consent is granted for the whole
// tenant; whether a client secret is made and how long it is valid; the plan's warnings for its component. All of
// it from the background's view of the choice (runs/views.js), counts included: the tenant confirmation says the
// same counts, so what the admin ticks is what this list shows.
import { bdi, el } from "../ui/ui.js";
import { planWarnings, warningsFor } from "../runs/model.js";
import { asText, warningParts } from "./words.js";
import { $, t } from "./state.js";

const months = (n) => (n === 1 ? t("month") : t("months", String(n)));

/** "10 apps, admin consent for 10 permissions for all users, 4 secrets valid 12 months", from a view's `counts`. */
export function countsPhrase(c) {
  const parts = [c.apps === 1 ? t("countApp") : t("countApps", String(c.apps))];
  if (c.consent === 0) parts.push(t("countNoConsent"));
  else parts.push(c.consent === 1 ? t("countConsentOne") : t("countConsent", String(c.consent)));
  if (c.secrets.length === 0) parts.push(t("countNoSecret"));
  for (const s of c.secrets) parts.push(s.count === 1 ? t("countSecret", months(s.months)) : t("countSecrets", String(s.count), months(s.months)));
  return parts.join(", ");
}

// The warnings are the core's sentences in the admin's language (ui/core-words.js by their code), each isolated
// (they quote the catalog).
const said = (w) => asText(warningParts(w));
const warningList = (texts) => el("ul", { className: "warn" }, ...texts.map((w) => el("li", {}, bdi(w))));

function appGrants(choice, a, existing) {
  const { delegatedNames: delegated, applicationNames: application } = a;
  const secret = !a.createSecret ? t("grantNoSecret") : existing.has(a.key) ? t("grantSecretKept") : t("grantSecret", months(a.secretLifetimeMonths));
  const consent = a.grantAdminConsent ? t("grantConsentAll") : t("grantNoConsent");
  const warnings = warningsFor(choice, a.component, said);
  const kinds = [delegated.length && `${delegated.length} ${t("kindDelegated")}`, application.length && `${application.length} ${t("kindApplication")}`].filter(Boolean).join(", ");
  const summary = el("summary", {}, bdi(a.displayName), ` — ${kinds} · ${consent} · ${secret}`);
  if (warnings.length) summary.append(" ", el("span", { className: "warn", textContent: `⚠ ${warnings.length}` }));
  const list = (names) => (names.length ? el("span", {}, ...names.flatMap((n, i) => [i ? ", " : "", el("code", { textContent: n })])) : "—");
  const details = el("details", { className: "grant" }, summary,
    el("dl", {},
      el("dt", { textContent: t("grantDelegated") }), el("dd", {}, list(delegated)),
      el("dt", { textContent: t("grantApplication") }), el("dd", {}, list(application)),
      el("dt", { textContent: t("grantConsentLabel") }), el("dd", { textContent: consent }),
      el("dt", { textContent: t("grantSecretLabel") }), el("dd", { textContent: secret })),
    warnings.length ? warningList(warnings) : "");
  details.dataset.key = a.key;
  return details;
}

/**
 * The grants of `choice` (nothing while there is none). `preview`: its check, when made — the apps it found in the
 * tenant keep their own credentials, and the counts say so.
 */
export function renderGrants(choice, preview = null) {
  const box = $("grants");
  if (!choice) return void box.replaceChildren();
  const global = planWarnings(choice, said);
  const existing = new Set(preview?.existing ?? []);
  box.replaceChildren(
    el("p", { id: "grants-summary" }, el("strong", { textContent: `${t("grantsHeading")}: ` }), countsPhrase((preview ?? choice).counts)),
    ...(global.length ? [warningList(global)] : []),
    ...choice.apps.map((a) => appGrants(choice, a, existing)));
}
