// The health section of the sandbox demo: the real health check over the apps this page registered, the drifted
// states the sandbox can make, a secret renewed in two separate steps within the tenant's policy (each key's last
// sign-in shown between them), and the LUCS
// configuration sheet. Like the run above it, everything is kept as data and drawn with say().
import { health, renewSecret, retireSecret, secretPolicy } from "./pkg/lucs_registrar.js";
import { stopParts } from "./core-words.js";
import { $, el } from "./dom.js";
import { healthCsv, healthJson } from "./ui/health.js";
import { sheetCsv, sheetRows, sheetText } from "./ui/sheet.js";
import { language, literal, say, t, tp } from "./i18n.js";
import { lastRun } from "./sandbox.js";
import { signIns } from "./activity.js";
import { drawDrift } from "./drift.js";

const graph = () => ({
  graphBaseUrl: `${location.origin}/v1.0`,
  getToken: async () => (await (await fetch("/sandbox/token")).json()).access_token,
  journals: lastRun.kept,
});
const date = (iso) => new Date(iso).toLocaleDateString(language(), { dateStyle: "medium" });
const status = (render) => say($("health-status"), render);
const failed = (err) => (err.code ? stopParts(err) : [err.message]);

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  el("a", { href: url, download: name }).click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** One credential's end in words. */
const expiry = (c) => tp(`expiry_${c.state}`, { date: c.endDateTime ? date(c.endDateTime) : "", days: c.daysLeft ?? "" });

function permissionsCell(a) {
  if (!a.found) return [t("notFound")];
  const parts = [t(`perm_${a.permissions.state}`)];
  if (a.permissions.missing.length) parts.push(" · ", ...tp("missingList", { list: literal(a.permissions.missing.join(", ")) }));
  if (a.permissions.extra.length) parts.push(" · ", ...tp("extraList", { list: literal(a.permissions.extra.join(", ")) }));
  return parts;
}

function consentCell(a) {
  const parts = [t(`consent_${a.consent.state}`)];
  if (a.consent.missing.length) parts.push(" · ", ...tp("missingList", { list: literal(a.consent.missing.join(", ")) }));
  if (a.consent.extra.length) parts.push(" · ", ...tp("extraList", { list: literal(a.consent.extra.join(", ")) }));
  return parts;
}

const secretsCell = (a) =>
  a.secrets.length ? a.secrets.flatMap((c, i) => [i ? el("br") : "", literal(`${c.hint ?? ""}…`), " ", ...expiry(c)]) : [t("noSecrets")];

function row(a, renew) {
  const name = [a.displayName, " ", literal(a.key)];
  if (!a.inPlan) name.push(" — ", t("notInPlan"));
  if (a.standing === "foreign") name.push(" — ", t("foreignApp"));
  const owners = a.owners.length ? a.owners.map((o) => o.displayName ?? o.id).join(", ") : t("noOwners");
  const action = el("td");
  if (a.found && a.inPlan && a.standing !== "foreign" && a.secrets.length) {
    const b = el("button", { type: "button", className: "small" });
    say(b, () => t("renew"));
    b.addEventListener("click", () => renew(a));
    action.append(b);
  }
  const cell = (render) => {
    const td = el("td");
    say(td, render);
    return td;
  };
  const tr = el("tr", {}, cell(() => name), cell(() => permissionsCell(a)), cell(() => consentCell(a)), cell(() => secretsCell(a)), cell(() => owners), action);
  tr.className = a.found && a.inPlan ? "" : "warn";
  return tr;
}

export function enableHealth(currentPlan) {
  let report = null;
  // Secrets made by a renewal on this page: on the sheet until the page is left, never stored.
  const renewed = [];
  const sheet = () => {
    const run = lastRun.report;
    if (!run) return null;
    return sheetRows(run, [...run.secrets, ...renewed]
      .filter((s, i, all) => all.findLastIndex((x) => x.key === s.key) === i));
  };
  const drawSheet = () => say($("sheet"), () => {
    const rows = sheet();
    return rows ? sheetText(t, rows, { withSecrets: $("sheet-secrets").checked }) : t("healthNoReport");
  });

  async function check() {
    const plan = currentPlan();
    if (!plan || !lastRun.report) return status(() => t("healthNoReport"));
    status(() => t("healthChecking"));
    try {
      report = await health(plan, graph());
      const shown = report;
      say($("health-table").tBodies[0], () => shown.applications.map((a) => row(a, renew)));
      $("health-table").hidden = false;
      $("health-csv").disabled = $("health-json").disabled = false;
      const time = new Date(shown.checkedAt).toLocaleString(language(), { dateStyle: "medium", timeStyle: "short" });
      status(() => t("healthChecked", { attention: shown.attention, apps: shown.applications.length, trips: shown.roundTrips, time }));
      drawDrift(plan, shown, graph, check, failed);
    } catch (err) {
      status(() => failed(err));
    }
  }

  // Step one: the lifetimes the policy allows, then a new secret beside the old. Step two is its own button.
  async function renew(a) {
    const plan = currentPlan();
    const box = $("health-renewal");
    try {
      const policy = await secretPolicy(plan, a.key, graph());
      const which = () => (policy.rules?.policyId === "00000000-0000-0000-0000-000000000000" || !policy.rules ? t("renewPolicyDefault") : literal(policy.rules.policyId));
      const note = () => (policy.policyReadable ? tp("renewPolicy", { policy: which() }) : [t("renewPolicyUnread")]);
      if (!policy.offeredMonths.length) return say(box, () => el("p", { className: "error" }, ...tp("renewBlocked", { policy: which() })));
      const select = el("select", { id: "renew-months" });
      say(select, () => policy.offeredMonths.map((n) => el("option", { value: String(n), textContent: t("months", { n }) })));
      select.value = String(policy.offeredMonths.includes(12) ? 12 : policy.offeredMonths.at(-1));
      const add = el("button", { type: "button", id: "renew-add" });
      say(add, () => t("renewAdd"));
      add.addEventListener("click", async () => {
        add.disabled = true;
        try {
          const done = await renewSecret(plan, a.key, { ...graph(), lifetimeMonths: Number(select.value) });
          lastRun.kept = [...lastRun.kept, done.journal].slice(-5);
          renewed.push(done.secret);
          drawSheet();
          say(box, () => renewedView(plan, a, done));
          check();
        } catch (err) {
          say($("renew-error"), () => failed(err));
          add.disabled = false;
        }
      });
      const label = el("label", { htmlFor: "renew-months" });
      say(label, () => t("renewLifetime"));
      say(box, () => [el("h4", {}, ...tp("renewTitle", { app: a.displayName })), el("p", {}, ...note()), label, " ", select, " ", add, el("p", { className: "error", id: "renew-error", role: "alert" })]);
    } catch (err) {
      say(box, () => el("p", { className: "error" }, ...failed(err)));
    }
  }

  function renewedView(plan, a, done) {
    const slot = (keyId) => Object.assign(el("span", { className: "last-sign-in" }), { title: keyId });
    const slots = new Map([done.secret.keyId, ...done.kept.map((old) => old.keyId)].map((k) => [k, slot(k)]));
    const parts = [el("p", {}, t("renewAdded")), el("p", { className: "secret new" }, literal(done.secret.secretText), " ", ...expiry({ state: "ok", endDateTime: done.secret.endDateTime }), slots.get(done.secret.keyId))];
    parts.push(el("div", {}, ...signIns(done.appId, slots, graph)));
    for (const old of done.kept) {
      const b = el("button", { type: "button", className: "small danger" });
      say(b, () => tp("retireOld", { key: literal(`${old.hint ?? ""}…`) }));
      b.addEventListener("click", async () => {
        b.disabled = true;
        try {
          const gone = await retireSecret(plan, a.key, old.keyId, graph());
          say(b, () => t("retired", { n: gone.remaining }));
          check();
        } catch (err) {
          say(b, () => failed(err));
        }
      });
      parts.push(el("p", { className: "old" }, b, " ", ...expiry(old), slots.get(old.keyId)));
    }
    return parts;
  }

  $("health-check").addEventListener("click", check);
  $("health-seed").addEventListener("click", async () => {
    const plan = currentPlan();
    const res = await fetch("/sandbox/health-states", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ prefix: plan?.prefix ?? "LUCS" }) });
    const { seeded } = await res.json();
    status(() => tp("healthSeeded", { list: literal(seeded.map((s) => `${s.key} (${s.state})`).join(", ")) }));
  });
  $("health-csv").addEventListener("click", () => report && download("lucs-health.csv", "text/csv", healthCsv(report)));
  $("health-json").addEventListener("click", () => report && download("lucs-health.json", "application/json", healthJson(report)));
  $("sheet-secrets").addEventListener("change", drawSheet);
  $("sheet-copy").addEventListener("click", () => navigator.clipboard.writeText($("sheet").textContent));
  $("sheet-csv").addEventListener("click", () => {
    const rows = sheet();
    if (rows) download("lucs-configuration.csv", "text/csv", sheetCsv(rows, { withSecrets: $("sheet-secrets").checked }));
  });
  $("sheet-print").addEventListener("click", () => print());
  document.addEventListener("lucs-sandbox-run", drawSheet);
  drawSheet();
  return { redraw: drawSheet };
}
