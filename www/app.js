// The planner page: the catalog as cards, a plan request from the form, the plan and its exports.
// All logic lives in the Wasm core; this file only reads the form and renders what the core returns.
import init, { catalog, plan, exportPlan, version } from "./pkg/lucs_registrar.js";
import { $, el, copyButton } from "./dom.js";
import { enableSandbox } from "./sandbox.js";

let currentPlan = null;

function renderCatalog(cat) {
  const root = $("components");
  root.replaceChildren();
  for (const c of cat.components) {
    const id = `c-${c.code}`;
    const card = el("article", { className: "card" });
    const pick = el("input", { type: "checkbox", id, checked: true });
    pick.dataset.code = c.code;
    const title = el("h3", {}, pick, el("label", { htmlFor: id, textContent: c.name }), el("code", { textContent: c.code }));
    card.append(title, el("p", { className: "purpose", textContent: c.purpose }));
    if (c.multiInstance) {
      const count = el("input", { type: "number", min: 1, max: 20, value: 1, id: `${id}-count` });
      count.dataset.instancesFor = c.code;
      count.setAttribute("aria-describedby", `${id}-instances-error`);
      card.append(
        el("div", { className: "instances" }, el("label", { htmlFor: count.id, textContent: "Instances (one app each)" }), count),
        el("p", { className: "error", id: `${id}-instances-error`, role: "alert" }),
      );
    }
    for (const p of c.permissions) {
      const row = el("div", { className: "perm" });
      let name = el("span", { textContent: p.value });
      if (p.optional) {
        const opt = el("input", { type: "checkbox", id: `${id}-${p.value}` });
        opt.dataset.optionalFor = c.code;
        opt.dataset.value = p.value;
        name = el("label", { htmlFor: opt.id }, opt, ` ${p.value} (optional)`);
      }
      const kind = el("span", { className: `badge ${p.kind}`, textContent: p.kind + (p.adminConsentRequired ? " · admin consent" : "") });
      row.append(name, kind, el("span", { className: "guid" }, p.id, copyButton(p.id, `Copy the id of ${p.value}`)));
      if (p.description) row.title = p.description;
      card.append(row);
    }
    if (c.errata.length) card.append(el("ul", { className: "errata" }, ...c.errata.map((e) => el("li", { textContent: e }))));
    root.append(card);
  }
}

function readRequest() {
  const components = [];
  for (const pick of document.querySelectorAll("input[data-code]")) {
    if (!pick.checked) continue;
    const code = pick.dataset.code;
    const entry = { code };
    const count = document.querySelector(`input[data-instances-for="${code}"]`);
    if (count) {
      const n = Number.parseInt(count.value, 10);
      entry.instances = Array.from({ length: Number.isFinite(n) && n > 0 ? n : 0 }, (_, i) => String(i + 1));
    }
    const optional = [...document.querySelectorAll(`input[data-optional-for="${code}"]`)].filter((o) => o.checked);
    if (optional.length) entry.optionalPermissions = optional.map((o) => o.dataset.value);
    components.push(entry);
  }
  const secrets = $("secrets").value;
  const options = {
    grantAdminConsent: $("consent").checked,
    secretLifetimeMonths: Number($("lifetime").value),
  };
  if (secrets !== "auto") options.createSecret = secrets === "all";
  return { components, prefix: $("prefix").value, options };
}

// Where the core's `field` path is shown: the form control it belongs to.
function fieldTarget(field, request) {
  if (field === "prefix") return ["prefix", "prefix-error"];
  if (field && field.startsWith("options.secretLifetimeMonths")) return ["lifetime", "lifetime-error"];
  const m = field && field.match(/^components\[(\d+)\]\.instances/);
  if (m) {
    const code = request.components[Number(m[1])]?.code;
    return [`c-${code}-count`, `c-${code}-instances-error`];
  }
  return [null, "plan-error"];
}

function clearErrors() {
  for (const e of document.querySelectorAll(".error")) e.textContent = "";
  for (const i of document.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
}

function renderPlan(p) {
  $("plan-count").textContent = `— ${p.applications.length} application${p.applications.length === 1 ? "" : "s"}`;
  const body = $("plan").tBodies[0];
  body.replaceChildren(
    ...p.applications.map((a) => {
      const perms = a.permissions.map((x) => `${x.value} (${x.kind})`).join(", ");
      const consent = a.grantAdminConsent
        ? [...a.delegatedGrants.map((g) => `grant: ${g.scope}`), ...a.appRoleAssignments.map((r) => `app role: ${r.value}`)].join("; ")
        : "not granted";
      return el("tr", {},
        el("td", {}, el("code", { textContent: a.key })),
        el("td", { textContent: a.displayName }),
        el("td", { textContent: perms }),
        el("td", { textContent: consent }),
        el("td", { textContent: a.createSecret ? `${a.secretLifetimeMonths} months` : "—" }));
    }),
  );
  $("warnings").replaceChildren(...p.warnings.map((w) => el("li", { textContent: w.message })));
}

function renderExport() {
  $("export").value = currentPlan ? exportPlan(currentPlan, $("format").value) : "";
}

function update() {
  clearErrors();
  const request = readRequest();
  try {
    currentPlan = plan(request);
    renderPlan(currentPlan);
  } catch (err) {
    currentPlan = null;
    const [input, slot] = fieldTarget(err.field, request);
    $(slot).textContent = err.message;
    if (input && $(input)) $(input).setAttribute("aria-invalid", "true");
    $("plan").tBodies[0].replaceChildren();
    $("plan-count").textContent = "";
    $("warnings").replaceChildren();
  }
  renderExport();
}

const EXTENSIONS = { "manifest-json": "json", "az-cli": "sh", powershell: "ps1", terraform: "tf", "ids-csv": "csv" };

async function main() {
  await init();
  $("version").textContent = `Version ${version()}.`;
  renderCatalog(catalog());
  document.querySelector("main").addEventListener("input", (e) => (e.target.id === "format" ? renderExport() : update()));
  $("copy").addEventListener("click", async () => {
    await navigator.clipboard.writeText($("export").value);
    $("copied").textContent = "Copied to the clipboard.";
    setTimeout(() => ($("copied").textContent = ""), 1500);
  });
  $("download").addEventListener("click", () => {
    const format = $("format").value;
    const url = URL.createObjectURL(new Blob([$("export").value], { type: "text/plain" }));
    el("a", { href: url, download: `lucs-registrations.${EXTENSIONS[format]}` }).click();
    URL.revokeObjectURL(url);
  });
  update();
  await enableSandbox(() => currentPlan);
  document.body.dataset.ready = "true";
}

main().catch((err) => {
  $("plan-error").textContent = `The planner could not start: ${err.message}`;
});
