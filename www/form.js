// The form ⇄ a plan request (the JSON the core's plan() takes), and where the core's error `field` is shown.
import { $ } from "./dom.js";

const lines = (text) => text.split("\n").map((l) => l.trim()).filter(Boolean);

export function readRequest() {
  const components = [];
  for (const pick of document.querySelectorAll("input[data-code]")) {
    if (!pick.checked) continue;
    const code = pick.dataset.code;
    const entry = { code };
    const labels = $(`c-${code}-labels`);
    // Blank labels are kept so the core can say which one is blank.
    if (labels) entry.instances = labels.value.trim() === "" ? [] : labels.value.split(",").map((l) => l.trim());
    const optional = [...document.querySelectorAll(`input[data-optional-for="${code}"]`)].filter((o) => o.checked);
    if (optional.length) entry.optionalPermissions = optional.map((o) => o.dataset.value);
    const uris = {};
    for (const area of document.querySelectorAll(`textarea[data-redirects-for="${code}"]`)) {
      const list = lines(area.value);
      if (list.length) uris[area.dataset.platform] = list;
    }
    if (Object.keys(uris).length) entry.redirectUris = uris;
    components.push(entry);
  }
  const secrets = $("secrets").value;
  const options = { grantAdminConsent: $("consent").checked, secretLifetimeMonths: Number($("lifetime").value) };
  if (secrets !== "auto") options.createSecret = secrets === "all";
  return { components, prefix: $("prefix").value, options };
}

/** Puts a saved request back into the form (unknown components are ignored; the core re-checks everything). */
export function applyRequest(request) {
  const wanted = new Map((request.components ?? []).map((c) => [String(c.code).toLowerCase(), c]));
  for (const pick of document.querySelectorAll("input[data-code]")) {
    const code = pick.dataset.code;
    const c = wanted.get(code.toLowerCase());
    pick.checked = Boolean(c);
    const labels = $(`c-${code}-labels`);
    if (labels) {
      const list = c?.instances ?? ["1"];
      labels.value = list.join(", ");
      labels.dataset.edited = "true";
      $(`c-${code}-count`).value = String(Math.max(1, list.length));
    }
    for (const opt of document.querySelectorAll(`input[data-optional-for="${code}"]`)) {
      opt.checked = (c?.optionalPermissions ?? []).includes(opt.dataset.value);
    }
    for (const area of document.querySelectorAll(`textarea[data-redirects-for="${code}"]`)) {
      area.value = (c?.redirectUris?.[area.dataset.platform] ?? []).join("\n");
    }
  }
  $("prefix").value = request.prefix ?? "LUCS";
  const o = request.options ?? {};
  $("consent").checked = o.grantAdminConsent ?? true;
  $("lifetime").value = String(o.secretLifetimeMonths ?? 12);
  $("secrets").value = o.createSecret === undefined ? "auto" : o.createSecret ? "all" : "none";
}

/** [input id, error slot id] for a core error field, e.g. `components[1].redirectUris.web[0]`. */
export function fieldTarget(field, request) {
  if (field === "prefix") return ["prefix", "prefix-error"];
  if (field?.startsWith("options.secretLifetimeMonths")) return ["lifetime", "lifetime-error"];
  const m = field?.match(/^components\[(\d+)\]\.(instances|redirectUris\.(web|spa|publicClient))/);
  const code = m && request.components[Number(m[1])]?.code;
  if (code && m[2] === "instances") return [`c-${code}-labels`, `c-${code}-instances-error`];
  if (code) return [`c-${code}-${m[3]}`, `c-${code}-${m[3]}-error`];
  return [null, "plan-error"];
}
