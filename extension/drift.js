// The Health page's drift fix: per drifted app exactly what will change (permissions added to the registration,
// consent granted, by Graph's names), the extras found beyond the plan each with a tick — unticked, they stay —
// and one Fix button. The fix itself runs in the background (upkeep.js), which owns runs; this page only asks.
import { bdi, el, sentence } from "./ui/ui.js";

const code = (text) => el("code", { textContent: text });
const names = (list) => code(list.join(", "));

function changeLines(t, c) {
  const lines = [];
  if (c.addPermissions.length) lines.push(sentence(t, "driftAddPermissions", names(c.addPermissions)));
  if (c.grantScopes.length) lines.push(sentence(t, "driftGrantScopes", names(c.grantScopes)));
  if (c.grantRoles.length) lines.push(sentence(t, "driftGrantRoles", names(c.grantRoles)));
  return lines.map((s) => el("li", {}, s));
}

function extraTick(t, c, e, i) {
  const id = `drift-${c.key}-${i}`;
  const box = el("input", { type: "checkbox", id });
  Object.assign(box.dataset, { key: c.key, source: e.source, name: e.name });
  const label = el("label", { htmlFor: id }, sentence(t, "driftRemove", code(e.name), t(`driftSource_${e.source}`)));
  return el("li", { className: "extra" }, box, " ", label);
}

/** Draws the preview (`driftFixPreview`'s) into `box`; `fix(removeExtras)` runs the fix and resolves to its result. */
export function drawDrift(box, t, preview, fix) {
  const apps = preview?.applications ?? [];
  const skipped = preview?.skipped ?? [];
  const result = box.querySelector("#drift-result") ?? el("div", { id: "drift-result", role: "status" });
  if (!apps.length && !skipped.length) {
    // Nothing (left) to fix: a fix's result stays in view above the table checked again.
    box.replaceChildren(el("h2", {}, t("driftTitle")), result);
    box.hidden = !result.childNodes.length;
    return;
  }
  box.hidden = false;
  const list = el("ul", { id: "drift-apps" });
  apps.forEach((c) => {
    const li = el("li", { className: "drift-app" }, el("strong", {}, bdi(c.displayName)), " ", el("small", { className: "muted" }, code(c.key)));
    li.dataset.key = c.key;
    const changes = el("ul", {}, ...changeLines(t, c), ...c.extras.map((e, i) => extraTick(t, c, e, i)));
    if (c.extras.length) changes.append(el("li", { className: "muted" }, t("driftExtrasStay")));
    li.append(changes);
    list.append(li);
  });
  const notes = skipped.map((s) => {
    const li = el("li", { className: "skipped" }, sentence(t, `driftSkipped_${s.reason}`, bdi(s.displayName)));
    li.dataset.key = s.key;
    return li;
  });
  const button = el("button", { type: "button", id: "drift-fix", textContent: t("driftFix"), disabled: !apps.length });
  button.addEventListener("click", async () => {
    if (button.disabled) return;
    const removeExtras = [...list.querySelectorAll("input[type=checkbox]:checked")].map((b) => ({ ...b.dataset }));
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    button.textContent = t("driftFixing");
    result.replaceChildren();
    try {
      result.replaceChildren(...(await fix(removeExtras)));
    } catch (err) {
      result.replaceChildren(el("p", { className: "bad", role: "alert" }, bdi(err.message)));
    } finally {
      button.removeAttribute("aria-busy");
      button.textContent = t("driftFix");
      button.disabled = false;
    }
  });
  box.replaceChildren(el("h2", {}, t("driftTitle")), el("p", {}, t("driftIntro")), list,
    ...(notes.length ? [el("ul", { id: "drift-skipped" }, ...notes)] : []), el("p", {}, button), result);
}

/** What a fix changed, as lines for the result box. */
export function fixedLines(t, fixed) {
  const done = (key, list) => (list.length ? [el("li", { className: key }, sentence(t, key, names(list.map((x) => `${x.name} (${x.key})`))))] : []);
  const changed = fixed.applications.map((c) => c.key);
  return [
    el("p", { id: "drift-done" }, sentence(t, "driftFixed", String(changed.length), String(fixed.roundTrips))),
    el("ul", {}, ...(changed.length ? [el("li", {}, sentence(t, "driftReapplied", names(changed)))] : []),
      ...done("driftRemoved", fixed.removed), ...done("driftAlreadyGone", fixed.alreadyGone), ...done("driftKept", fixed.kept),
      ...fixed.skipped.map((s) => el("li", { className: "skipped" }, sentence(t, `driftSkipped_${s.reason}`, bdi(s.displayName))))),
  ];
}
