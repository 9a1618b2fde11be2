// The page's few DOM helpers, shared by the planner and the sandbox run; the pieces the popup shows too come from
// ui/ (copied in by the build) and speak the page's language.
import { t } from "./i18n.js";
import { el, copyButton as copyButtonIn, progressLine as progressLineIn, resultRows as resultRowsIn } from "./ui/ui.js";

export { el };

export const $ = (id) => document.getElementById(id);

// A copy button's name starts with the word it shows ("Copy", for a moment "Copied") and then says what it copies,
// so what a screen reader announces always contains what is seen (WCAG 2.5.3, label in name).
function nameFollowsText(button, what) {
  const name = () => button.setAttribute("aria-label", `${button.textContent} – ${what}`);
  name();
  new MutationObserver(name).observe(button, { childList: true, characterData: true, subtree: true });
  return button;
}

/** A small "Copy" button that confirms for a moment; `what` names what it copies for screen readers. */
export const copyButton = (text, what) => nameFollowsText(copyButtonIn(t, text, what), what);

/** One progress event, with the engine's stage and status words (which ui/ prints as they come) in our words. */
export function progressLine(e) {
  const line = progressLineIn(t, e);
  const head = `${e.stage}${e.key ? ` · ${e.key}` : ""}: ${e.status}`;
  if (line.textContent.startsWith(head)) {
    const ours = `${t(`stage_${e.stage}`)}${e.key ? ` · ${e.key}` : ""}: ${t(`status_${e.status}`)}`;
    line.textContent = ours + line.textContent.slice(head.length);
  }
  return line;
}

/** A run report's apps as table rows, each copy button named as above (ui/ names them "Copy <what>"). */
export function resultRows(report) {
  const rows = resultRowsIn(t, report);
  const lead = `${t("copy")} `;
  for (const button of rows.flatMap((row) => [...row.querySelectorAll("button[aria-label]")])) {
    const label = button.getAttribute("aria-label");
    nameFollowsText(button, label.startsWith(lead) ? label.slice(lead.length) : label);
  }
  return rows;
}
