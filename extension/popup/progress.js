// A run the admin can follow: per app where it stands (app registration, service principal, consent, secret), how
// many apps are done of how many, a summary at the end, and the engine's own lines under "Details", newest first,
// with their stage and status words in the admin's language (app keys stay as they are: they are names in Entra).
import { el, progressLine } from "../ui/ui.js";
import { STEPS } from "../runs/model.js";
import { $, t } from "./state.js";
import { STATUS } from "../runs/status.js";

const SYMBOL = { done: "✓", waiting: "·", skipped: "—" };

function cell(c) {
  const word = t(`cell_${c.state}`);
  const td = el("td", { className: `cell ${c.state}` });
  // A symbol is seen; its word is what a screen reader says.
  if (SYMBOL[c.state]) {
    const seen = el("span", { textContent: SYMBOL[c.state] });
    seen.setAttribute("aria-hidden", "true");
    td.append(seen, el("span", { className: "sr", textContent: word }));
  } else td.append(word);
  if (c.reason) td.title = t(`reason_${c.reason}`);
  return td;
}

/** The per-app table (the background's runView works out where each app stands), the "n of N" line and the log. */
export function renderProgress(run) {
  const rows = run.rows;
  const done = rows.filter((r) => r.finished).length;
  $("run-count").textContent = t("appsDone", String(done), String(rows.length));
  $("run-table").tBodies[0].replaceChildren(...rows.map((r) => {
    const tr = el("tr", {}, el("th", { scope: "row", textContent: r.key }), ...STEPS.map((s) => cell(r.cells[s])));
    tr.dataset.key = r.key;
    tr.title = r.displayName;
    return tr;
  }));
  $("progress").replaceChildren(...run.progress.slice(-100).reverse().map((e) => progressLine(t, e)));
}

/**
 * What the run did, once it is done. `nothingToChange`: the check before it found every app as planned — with a
 * journal that made nothing, the run changed nothing.
 */
export function renderSummary(run, { nothingToChange }) {
  const box = $("run-summary");
  if (run.status !== STATUS.done || !run.report) return void box.replaceChildren();
  const apps = run.report.applications;
  if (run.madeNothing) {
    box.replaceChildren(el("strong", { textContent: nothingToChange ? t("summaryNothing") : t("summaryNoneMade", String(apps.length)) }));
    return;
  }
  const created = apps.filter((a) => a.created).length;
  const consented = apps.filter((a) => a.consentGranted).length;
  const secrets = run.secretsMade;
  const parts = [t("summaryApps", String(apps.length), String(created), String(apps.length - created))];
  if (consented) parts.push(t("summaryConsent", String(consented)));
  if (secrets) parts.push(t("summarySecrets", String(secrets)));
  box.replaceChildren(parts.join("; "));
}
