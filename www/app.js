// The planner page: the catalog as cards, a plan request from the form, the plan and its exports, saving and
// loading selections, a custom catalog. All logic lives in the Wasm core; this file wires the page to it.
import init, { catalog, exportPlan, loadCatalog, plan, version } from "./pkg/lucs_registrar.js";
import { renderCatalog } from "./cards.js";
import { $, el } from "./dom.js";
import { applyRequest, fieldTarget, readRequest } from "./form.js";
import { errorParts, warningParts } from "./core-words.js";
import { hush, language, say, setLanguage, t, translate } from "./i18n.js";
import { enableHealth } from "./health.js";
import { enableSandbox } from "./sandbox.js";
import { lifetimeProblem, readLifetimes } from "./lifetime.js";

let currentPlan = null;
let customCatalog = null;

function clearErrors() {
  for (const e of document.querySelectorAll(".error")) hush(e);
  for (const i of document.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
}

function renderPlan(p) {
  const n = p.applications.length;
  $("plan-count").textContent = t("appCount", { n, apps: n === 1 ? t("app") : t("apps") });
  $("plan").tBodies[0].replaceChildren(
    ...p.applications.map((a) => {
      const perms = a.permissions.map((x) => t("permissionWithKind", { value: x.value, kind: t(`kind_${x.kind}`) })).join(", ");
      const consent = a.grantAdminConsent
        ? [...a.delegatedGrants.map((g) => t("grantScope", { scope: g.scope })), ...a.appRoleAssignments.map((r) => t("appRole", { value: r.value }))].join("; ")
        : t("notGranted");
      return el("tr", {},
        el("td", {}, el("code", { textContent: a.key })),
        el("td", { textContent: a.displayName }),
        el("td", { textContent: perms }),
        el("td", { textContent: consent }),
        el("td", { textContent: a.createSecret ? t("secretMonths", { n: a.secretLifetimeMonths, months: t("months") }) : "—" }));
    }),
  );
  $("warnings").replaceChildren(...p.warnings.map((w) => el("li", { className: w.code }, ...warningParts(w))));
}

function renderExport() {
  $("export").value = currentPlan ? exportPlan(currentPlan, $("format").value) : "";
}

function update() {
  clearErrors();
  const request = readRequest();
  // A lifetime the tenant's policy forbids is not planned: said at the field, as the core's own errors are.
  const problem = lifetimeProblem(request);
  if (problem) {
    currentPlan = null;
    say($("lifetime-error"), problem);
    $("lifetime").setAttribute("aria-invalid", "true");
    $("plan").tBodies[0].replaceChildren();
    $("plan-count").textContent = "";
    $("warnings").replaceChildren();
    return renderExport();
  }
  try {
    currentPlan = plan(request, customCatalog);
    renderPlan(currentPlan);
  } catch (err) {
    currentPlan = null;
    const [input, slot] = fieldTarget(err.field, request);
    say($(slot), () => errorParts(err, request));
    if (input && $(input)) $(input).setAttribute("aria-invalid", "true");
    $("plan").tBodies[0].replaceChildren();
    $("plan-count").textContent = "";
    $("warnings").replaceChildren();
  }
  renderExport();
}

function download(name, text, type = "text/plain") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  el("a", { href: url, download: name }).click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const readFile = (input) => input.files[0].text().then((text) => JSON.parse(text));
// A file that is not JSON, or not the JSON expected: said in the page's words, not the browser's.
const fileProblem = (err, key) => (err instanceof SyntaxError ? t("notJson") : t(key));
const EXTENSIONS = { "manifest-json": "json", "az-cli": "sh", powershell: "ps1", terraform: "tf", "ids-csv": "csv" };

function useCatalog(cat) {
  renderCatalog($("components"), cat);
  update();
}

async function main() {
  await init();
  translate();
  $("language").value = language();
  say($("version"), () => `${t("version")} ${version()}.`);
  useCatalog(catalog());
  const main = document.querySelector("main");
  main.addEventListener("input", (e) => (e.target.id === "format" ? renderExport() : e.target.closest("#planner") && update()));
  main.addEventListener("change", (e) => e.target.closest("#planner") && e.target.type === "number" && update());
  $("language").addEventListener("change", () => {
    setLanguage($("language").value);
    const saved = readRequest();
    useCatalog(customCatalog ?? catalog());
    applyRequest(saved);
    update();
  });
  $("copy").addEventListener("click", async () => {
    await navigator.clipboard.writeText($("export").value);
    $("copied").textContent = t("copiedAll");
    setTimeout(() => ($("copied").textContent = ""), 1500);
  });
  $("download").addEventListener("click", () => download(`lucs-registrations.${EXTENSIONS[$("format").value]}`, $("export").value));
  $("save-request").addEventListener("click", () => download("lucs-selections.json", JSON.stringify(readRequest(), null, 2), "application/json"));
  $("load-request").addEventListener("change", async (e) => {
    hush($("load-error"));
    try {
      applyRequest(await readFile(e.target));
      update();
    } catch (err) {
      say($("load-error"), () => fileProblem(err, "notRequest"));
    }
  });
  $("load-catalog").addEventListener("change", async (e) => {
    hush($("catalog-error"));
    let given;
    try {
      given = await readFile(e.target);
      customCatalog = loadCatalog(given);
      const { profile } = customCatalog;
      say($("catalog-status"), () => `${t("catalogLoaded")} ${profile}`);
      useCatalog(customCatalog);
    } catch (err) {
      say($("catalog-error"), () => (err.code ? errorParts(err, given, { withField: true }) : fileProblem(err, "notJson")));
    }
    e.target.value = "";
  });
  $("builtin-catalog").addEventListener("click", () => {
    customCatalog = null;
    hush($("catalog-status"));
    useCatalog(catalog());
  });
  if (await enableSandbox(() => currentPlan)) {
    enableHealth(() => currentPlan);
    // The sandbox stands in for a portal session that may read the tenant's policies (Policy.Read.All), as the
    // App registrations blade's does.
    const scp = encodeURIComponent("User.Read Directory.Read.All Policy.Read.All");
    await readLifetimes({ graphBaseUrl: `${location.origin}/v1.0`, getToken: async () => (await (await fetch(`/sandbox/token?scp=${scp}`)).json()).access_token })
      .catch((err) => say($("lifetime-note"), () => t("lifetimeUnread") + ` (${err.message})`));
    update();
  }
  document.body.dataset.ready = "true";
}

main().catch((err) => {
  $("plan-error").textContent = t("plannerFailed", { detail: err.message });
});
