// The health section's drift fix on the sandbox: per drifted app what will change (permissions added, consent
// granted, by Graph's names), a tick per extra found beyond the plan — unticked, it stays — and one Fix, which runs
// the core's fixDrift and then the health check again. Words through say(), so a language switch redraws them.
import { driftFixPreview, fixDrift } from "./pkg/lucs_registrar.js";
import { $, el } from "./dom.js";
import { literal, say, t, tp } from "./i18n.js";

const list = (names) => literal(names.join(", "));

function appItem(c) {
  const li = el("li", { className: "drift-app" });
  li.dataset.key = c.key;
  const lines = el("ul");
  const line = (key, names) => {
    if (!names.length) return;
    const item = el("li");
    say(item, () => tp(key, { list: list(names) }));
    lines.append(item);
  };
  line("driftAdd", c.addPermissions);
  line("driftScopes", c.grantScopes);
  line("driftRoles", c.grantRoles);
  c.extras.forEach((e, i) => {
    // The tick is made once, so a language switch redraws its words and keeps the admin's choice.
    const box = el("input", { type: "checkbox", id: `drift-${c.key}-${i}` });
    Object.assign(box.dataset, { key: c.key, source: e.source, name: e.name });
    const label = el("label", { htmlFor: box.id });
    say(label, () => tp("driftRemove", { name: literal(e.name), source: t(`driftSource_${e.source}`) }));
    lines.append(el("li", { className: "extra" }, box, " ", label));
  });
  const head = el("strong", { textContent: c.displayName });
  li.append(head, " ", literal(c.key), lines);
  return li;
}

function fixedView(fixed) {
  const parts = [el("p", { id: "drift-done" })];
  say(parts[0], () => tp("driftFixed", { n: fixed.applications.length, trips: fixed.roundTrips }));
  const named = (xs) => list(xs.map((x) => `${x.name} (${x.key})`));
  for (const [key, xs] of [["driftRemoved", fixed.removed], ["driftGone", fixed.alreadyGone], ["driftKept", fixed.kept]]) {
    if (!xs.length) continue;
    const p = el("p");
    say(p, () => tp(key, { list: named(xs) }));
    parts.push(p);
  }
  for (const s of fixed.skipped) {
    const p = el("p");
    say(p, () => tp(`driftSkipped_${s.reason}`, { app: s.displayName }));
    parts.push(p);
  }
  return parts;
}

/** The fix for the drift in `report` (the health of `plan`); `recheck` runs the health check again. */
export function drawDrift(plan, report, options, recheck, failed) {
  const box = $("health-drift");
  const preview = driftFixPreview(plan, report);
  if (!preview.applications.length && !preview.skipped.length) {
    box.replaceChildren();
    return;
  }
  const apps = el("ul", { id: "drift-apps" }, ...preview.applications.map(appItem));
  const skipped = preview.skipped.map((s) => {
    const p = el("p", { className: "muted" });
    say(p, () => tp(`driftSkipped_${s.reason}`, { app: s.displayName }));
    return p;
  });
  const button = el("button", { type: "button", id: "drift-fix", disabled: !preview.applications.length });
  say(button, () => t("driftFix"));
  const result = $("health-drift-result");
  button.addEventListener("click", async () => {
    const removeExtras = [...apps.querySelectorAll("input:checked")].map((b) => ({ ...b.dataset }));
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    say(button, () => t("driftFixing"));
    try {
      const fixed = await fixDrift(plan, report, { ...options(), removeExtras });
      result.replaceChildren(...fixedView(fixed));
      await recheck();
    } catch (err) {
      say(result, () => el("p", { className: "error", role: "alert" }, ...failed(err)));
      button.disabled = false;
      button.removeAttribute("aria-busy");
      say(button, () => t("driftFix"));
    }
  });
  const title = el("h4");
  say(title, () => t("driftTitle"));
  const intro = el("p");
  say(intro, () => t("driftIntro"));
  box.replaceChildren(title, intro, apps, ...skipped, el("p", {}, button));
}
