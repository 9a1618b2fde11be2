// Rolling a run back deletes for good: apps are purged from deleted items so their keys are free again, so there is
// no 30-day restore (src/engine/rollback/). The first click therefore lists what will be deleted and says that it
// cannot be restored; only a second click within a few seconds runs it. The report says what was deleted, what
// failed and what was kept, and "Rollback incomplete" when anything failed.
import { bdi, el } from "../ui/ui.js";
import { reportItem } from "../runs/model.js";
import { t } from "./state.js";

/** How long a first click keeps the button armed: long enough to read the list, short enough not to linger. */
const DISARM_MS = 8000;

const who = (a) => (a.displayName ? el("span", {}, bdi(a.displayName), ` (${a.key})`) : el("span", { textContent: a.key }));

/** What a rollback will delete and undo, before it is done: `r`, the background's rollbackTargets of a run. */
export function rollbackPlan(r) {
  const box = el("div", { className: "rollback-plan" });
  if (r.deleted.length === 0 && r.undone.length === 0) {
    box.append(el("p", { textContent: t("rbNothing") }));
  }
  if (r.deleted.length) {
    box.append(el("p", { className: "bad" }, el("strong", { textContent: t("rbWillDelete", String(r.deleted.length)) })),
      el("ul", {}, ...r.deleted.map((a) => el("li", {}, who(a), `: ${t("rbAppParts")}`))));
  }
  if (r.undone.length) {
    box.append(el("p", { textContent: t("rbWillUndo") }),
      el("ul", {}, ...r.undone.map((a) => el("li", {}, who(a), `: ${a.parts.map((p) => t(`rbPart_${p}`)).join(", ")}`))));
  }
  if (r.kept.length) box.append(el("p", { className: "muted" }, `${t("rbWillKeep")} `, ...r.kept.flatMap((a, i) => [i ? ", " : "", who(a)])));
  return box;
}

// A report line in the admin's words when the core's sentence is one we know by its start; else as the core wrote it.
function item(text) {
  const i = reportItem(text);
  return el("li", {}, i.kind ? t(`rbItem_${i.kind}`, i.key) : bdi(text));
}

/** What a rollback did (the background's RollbackReport), or its counts when only those are kept. */
export function rollbackReport(result) {
  const counts = {
    deleted: result.deleted?.length ?? result.deleted ?? 0,
    failed: result.failed?.length ?? result.failed ?? 0,
    kept: result.kept?.length ?? result.kept ?? 0,
  };
  const incomplete = counts.failed > 0 || (result.refused?.length ?? result.refused ?? 0) > 0;
  const box = el("div", { className: incomplete ? "rollback-report incomplete" : "rollback-report" },
    el("p", {}, el("strong", { className: incomplete ? "bad" : "", textContent: incomplete ? t("rbIncomplete") : t("rolledBack") }),
      `: ${t("rbCounts", String(counts.deleted), String(counts.failed), String(counts.kept))}`));
  const list = (label, texts, className = "") =>
    (Array.isArray(texts) && texts.length ? [el("p", { className, textContent: label }), el("ul", { className }, ...texts.map(item))] : []);
  box.append(
    // Why something failed or was left alone is Graph's or the core's own sentence, isolated as it may quote names.
    ...(Array.isArray(result.failed) && result.failed.length ? [el("p", { className: "bad", textContent: t("rbFailed") }),
      el("ul", { className: "bad" }, ...result.failed.map((f) => el("li", {}, bdi(f))))] : []),
    ...(Array.isArray(result.refused) && result.refused.length ? [el("p", { className: "bad", textContent: t("rbRefused") }),
      el("ul", { className: "bad" }, ...result.refused.map((f) => el("li", {}, bdi(f))))] : []));
  if (Array.isArray(result.deleted) && result.deleted.length) {
    box.append(el("details", {}, el("summary", { textContent: t("rbDeleted") }), el("ul", {}, ...result.deleted.map(item))));
  }
  box.append(...list(t("rbChanged"), result.changed), ...list(t("rbKept"), result.kept, "muted"));
  return box;
}

/**
 * Makes `button` a two-click rollback: the first click shows `list()` (what it will delete) in `box` and arms it for
 * DISARM_MS, the second runs `run()` and shows its report. The button is disarmed after it ran, and after the wait.
 */
export function twoClicks(button, { idle, armed, box, list, run }) {
  let timer = null;
  const disarm = () => {
    clearTimeout(timer);
    timer = null;
    delete button.dataset.armed;
    button.textContent = idle();
  };
  button.addEventListener("click", async () => {
    if (!button.dataset.armed) {
      button.dataset.armed = "true";
      button.textContent = armed();
      box.replaceChildren(list());
      box.hidden = false;
      timer = setTimeout(() => {
        disarm();
        box.replaceChildren();
        box.hidden = true;
      }, DISARM_MS);
      return;
    }
    disarm();
    button.disabled = true;
    try {
      box.replaceChildren(rollbackReport(await run()));
    } catch (err) {
      box.replaceChildren(el("p", { className: "bad" }, bdi(err.message)));
      button.disabled = false;
    }
  });
  return disarm;
}
