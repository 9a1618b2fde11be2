// The health page, a tab of the extension's own: the health of the apps the tenant's last kept registration made,
// a client secret renewed in two separate steps, and the LUCS configuration sheet. It holds no token and writes
// nothing itself: it asks the background (upkeep.js). A renewed secret's text never comes here from the renewal;
// like a registered one it waits on the secrets page (results.html), and the sheet shows it only while it waits.
import { api } from "./browser.js";
import { drawDrift, fixedLines } from "./drift.js";
import { coreWords } from "./ui/core-words.js";
import { healthCsv, healthJson } from "./ui/health.js";
import { sheetCsv, sheetRows, sheetText } from "./ui/sheet.js";
import { bdi, copyButton as copyButtonIn, el, sentence } from "./ui/ui.js";

const $ = (id) => document.getElementById(id);
const t = (key, ...subs) => api.i18n.getMessage(key, subs.map(String)) || key;
const lang = () => (t("options_lang") === "de" ? "de" : "en");
const { stopParts } = coreWords(lang);
const copyButton = (text, what) => copyButtonIn(t, text, what);
const date = (iso) => new Date(iso).toLocaleDateString(lang(), { dateStyle: "medium" });
const code = (text) => el("code", { textContent: text });

async function ask(message) {
  const reply = await api.runtime.sendMessage(message);
  if (!reply || reply.error) throw Object.assign(new Error(reply?.error ?? "no answer"), reply ?? {});
  return reply.result;
}

/** An error in the admin's language where the core gave a code (a policyRefused stop among them). */
const errorNode = (err) => {
  const p = el("p", { className: "bad error", role: "alert" });
  p.append(...(err.code ? stopParts(err) : [bdi(err.message)]));
  return p;
};
const say = (text) => ($("status").textContent = text);

const view = { tid: null, plan: null, report: null, waiting: [] };

// ---- The health table ----------------------------------------------------------------------------------------
function listed(key, list) {
  return list.length ? [" · ", sentence(t, key, code(list.join(", ")))] : [];
}

function credential(kind, c) {
  const days = c.daysLeft === null ? "" : String(Math.abs(c.daysLeft));
  const when = c.state === "unknown" ? t("cred_unknown") : t(`cred_${c.state}`, c.endDateTime ? date(c.endDateTime) : "", days);
  const li = el("li", { className: `cred-${c.state}` }, `${t(kind)} `, code(c.hint ? `${c.hint}…` : c.keyId), ` ${when}`);
  li.dataset.keyId = c.keyId;
  li.dataset.state = c.state;
  return li;
}

function appRow(a) {
  const name = el("td", {}, bdi(a.displayName), el("br"), el("small", { className: "muted" }, code(a.key)));
  if (!a.found) name.append(el("br"), t("notFound"));
  if (!a.inPlan) name.append(el("br"), t("notInPlan"));
  if (a.standing) name.append(el("br"), el("small", { textContent: t(`standing_${a.standing}`) }));
  const perms = el("td", {}, a.found ? t(`perm_${a.permissions.state}`) : "", ...listed("healthMissing", a.permissions.missing), ...listed("healthExtra", a.permissions.extra));
  const consent = el("td", {}, a.found ? t(`consent_${a.consent.state}`) : "", ...listed("healthMissing", a.consent.missing), ...listed("healthByHand", a.consent.extra));
  const creds = [...a.secrets.map((c) => credential("credSecret", c)), ...a.certificates.map((c) => credential("credCertificate", c))];
  const owners = a.owners.length ? a.owners.map((o) => o.displayName ?? o.id).join(", ") : t("noOwners");
  const action = el("td");
  // Renewal is the provenance rule's: never a secret for an app this tool did not make or the admin adopted.
  if (a.found && a.inPlan && a.standing !== "foreign" && a.secrets.length) {
    const b = el("button", { type: "button", className: "small renew", textContent: t("renewSecret") });
    b.setAttribute("aria-label", `${t("renewSecret")} – ${a.displayName}`);
    b.addEventListener("click", () => startRenewal(a).catch((err) => showRenewal([errorNode(err)])));
    action.append(b);
  }
  const tr = el("tr", {}, name, perms, consent, el("td", {}, creds.length ? el("ul", {}, ...creds) : t("noCredentials")),
    el("td", { className: a.owners.length ? "" : "warn" }, bdi(owners)), action);
  tr.dataset.key = a.key;
  tr.dataset.permissions = a.permissions.state;
  tr.dataset.consent = a.consent.state;
  tr.dataset.owners = String(a.owners.length);
  tr.dataset.inPlan = String(a.inPlan);
  tr.dataset.found = String(a.found);
  const attention = !a.found || !a.inPlan || a.permissions.state === "drifted" || !["complete", "notRequested"].includes(a.consent.state) ||
    a.consent.extra.length > 0 || [...a.secrets, ...a.certificates].some((c) => c.state === "expired" || c.state === "expiring");
  tr.className = attention ? "attention" : "";
  return tr;
}

async function check() {
  $("renewal").hidden = true;
  $("summary").textContent = t("healthChecking");
  try {
    const { plan, report, drift } = await ask({ type: "health", tid: view.tid });
    view.plan = plan;
    view.report = report;
    $("register-first").hidden = Boolean(plan);
    $("health").hidden = !report;
    $("health-csv").disabled = $("health-json").disabled = !report;
    if (!report) {
      $("summary").textContent = "";
      $("health").tBodies[0].replaceChildren();
      $("drift").hidden = true;
    } else {
      drawDrift($("drift"), t, drift, fixDrift);
      $("health").tBodies[0].replaceChildren(...report.applications.map(appRow));
      const time = new Date(report.checkedAt).toLocaleString(lang(), { dateStyle: "medium", timeStyle: "short" });
      $("summary").textContent = t("healthSummary", report.attention, report.applications.length, time, report.roundTrips) +
        (report.taggedListed ? "" : ` ${t("healthTaggedUnread")}`);
    }
    await drawSheet();
  } catch (err) {
    $("summary").replaceChildren(errorNode(err));
  }
  document.body.dataset.checked = String(Date.now());
}

// The fix runs in the background; its result stays in view while the table is checked again under it.
async function fixDrift(removeExtras) {
  const fixed = await ask({ type: "fixDrift", tid: view.tid, removeExtras });
  if (fixed.stopped) return [errorNode(fixed.stopped)];
  const lines = fixedLines(t, fixed);
  await check();
  return lines;
}

// ---- Renewal: step one (policy, then a new secret), step two (the old one removed) on its own -----------------------
function showRenewal(nodes) {
  $("renewal").replaceChildren(...nodes);
  $("renewal").hidden = false;
  $("renewal").scrollIntoView?.({ block: "nearest" });
}

async function startRenewal(a) {
  const policy = await ask({ type: "secretPolicy", tid: view.tid, key: a.key });
  const which = !policy.rules || policy.rules.policyId === "00000000-0000-0000-0000-000000000000" ? t("renewPolicyDefault") : policy.rules.policyName ?? policy.rules.policyId;
  const note = el("p", { id: "renew-policy" });
  note.append(policy.policyReadable ? sentence(t, "renewPolicy", which) : t("renewPolicyUnread"));
  note.dataset.readable = String(policy.policyReadable);
  const title = el("h2", {}, sentence(t, "renewTitle", a.displayName));
  if (!policy.offeredMonths.length) return showRenewal([title, el("p", { className: "bad" }, sentence(t, "renewBlocked", which))]);
  const select = el("select", { id: "renew-months" });
  select.append(...policy.offeredMonths.map((n) => el("option", { value: String(n), textContent: t("monthsN", n) })));
  select.value = String(policy.offeredMonths.includes(12) ? 12 : policy.offeredMonths.at(-1));
  const add = el("button", { type: "button", id: "renew-add", textContent: t("renewAdd") });
  const error = el("div", { id: "renew-error" });
  add.addEventListener("click", async () => {
    if (add.disabled) return;
    add.disabled = true;
    add.textContent = t("renewAdding");
    error.replaceChildren();
    try {
      const done = await ask({ type: "renewSecret", tid: view.tid, key: a.key, lifetimeMonths: Number(select.value) });
      if (done.stopped) throw done.stopped;
      showRenewal(renewed(a, done));
      await refreshKeepingRenewal();
    } catch (err) {
      error.replaceChildren(errorNode(err));
      add.disabled = false;
      add.textContent = t("renewAdd");
    }
  });
  const label = el("label", { htmlFor: "renew-months", textContent: t("renewLifetime") });
  showRenewal([title, note, el("p", {}, label, " ", select, " ", add), error]);
}

// The health table and the sheet drawn again after a step, the renewal box left as it is.
async function refreshKeepingRenewal() {
  const box = [...$("renewal").childNodes];
  await check();
  showRenewal(box);
}

// ---- Last sign-in per key: the switch to the new secret seen before the old one is removed ---------------------
const when = (iso) => new Date(iso).toLocaleString(lang(), { dateStyle: "medium", timeStyle: "short" });

/** Each key's `.last-sign-in` filled from Graph's report (asked again on a click), or why it cannot be read. */
function lastSignIns(appId, items) {
  const note = el("p", { id: "renew-activity", role: "status" });
  const again = el("button", { type: "button", className: "small", id: "renew-activity-read", textContent: t("activityRead") });
  const read = async () => {
    again.disabled = true;
    try {
      const got = await ask({ type: "credentialActivity", tid: view.tid, appId });
      const last = new Map(got.keys.map((k) => [k.keyId.toLowerCase(), k.lastSignInDateTime]));
      for (const li of items) {
        const at = last.get(li.dataset.keyId.toLowerCase());
        li.querySelector(".last-sign-in").textContent = !got.readable ? "" : at ? ` · ${t("activityLast", when(at))}` : ` · ${t("activityNone")}`;
        li.dataset.lastSignIn = at ?? "";
      }
      note.dataset.readable = String(got.readable);
      note.textContent = got.readable ? t("activityHint")
        : got.licenseRequired ? t("activityLicense")
          : got.missingScopes.length ? t("activityLacks", got.missingScopes.join(", ")) : t("activityRefused", got.status ?? "–");
    } catch (err) {
      note.replaceChildren(errorNode(err));
    } finally {
      again.disabled = false;
    }
  };
  again.addEventListener("click", read);
  read();
  return el("div", {}, note, again);
}

function renewed(a, done) {
  const item = (cls, words, c) => {
    const li = el("li", { className: cls }, words, el("span", { className: "last-sign-in" }));
    li.dataset.keyId = c.keyId;
    return li;
  };
  const items = [
    item("new", sentence(t, "renewNew", code(`${done.secret.hint}…`), date(done.secret.endDateTime)), done.secret),
    ...done.kept.map((old) => item("old", sentence(t, "renewOld", code(old.hint ? `${old.hint}…` : old.keyId), old.endDateTime ? date(old.endDateTime) : t("cred_unknown")), old)),
  ];
  const lines = [
    el("h2", {}, sentence(t, "renewTitle", a.displayName)),
    el("p", {}, t("renewAdded"), " ", el("a", { href: api.runtime.getURL("results.html"), target: "_blank", textContent: t("openSecretsPage") })),
    el("ul", { id: "renew-secrets" }, ...items),
    lastSignIns(done.appId, items),
  ];
  if (!done.kept.length) return lines;
  // Step two: a separate click, only after the admin ticks that LUCS uses the new secret.
  const confirm = el("input", { type: "checkbox", id: "retire-confirm" });
  const label = el("label", { htmlFor: "retire-confirm", textContent: t("retireConfirm") });
  const buttons = done.kept.map((old) => {
    const b = el("button", { type: "button", className: "danger retire", disabled: true, textContent: t("retireOld", old.hint ? `${old.hint}…` : old.keyId) });
    b.dataset.keyId = old.keyId;
    b.addEventListener("click", async () => {
      if (!confirm.checked || b.disabled) return;
      b.disabled = true;
      try {
        const gone = await ask({ type: "retireSecret", tid: view.tid, key: a.key, keyId: old.keyId, confirmed: true });
        b.replaceWith(el("span", { className: "retired", textContent: t("retired", gone.remaining) }));
        await refreshKeepingRenewal();
      } catch (err) {
        b.after(errorNode(err));
        b.disabled = false;
      }
    });
    return b;
  });
  confirm.addEventListener("change", () => buttons.forEach((b) => (b.disabled = !confirm.checked)));
  return [...lines, el("p", {}, confirm, " ", label), el("p", { className: "bar" }, ...buttons)];
}

// ---- The configuration sheet ---------------------------------------------------------------------------------
function sheetData() {
  if (!view.plan || !view.report) return null;
  const found = new Map(view.report.applications.map((a) => [a.key, a]));
  const report = {
    tenantId: view.report.tenantId ?? view.tid,
    applications: view.plan.applications.map((a) => ({ ...a, appId: found.get(a.key)?.appId ?? "" })),
  };
  // Only secrets still waiting in storage.session, the newest per app.
  const mine = view.waiting.filter((s) => s.tid === view.tid).sort((x, y) => y.at - x.at);
  return sheetRows(report, mine);
}

async function drawSheet() {
  view.waiting = (await ask({ type: "secrets" })).waiting;
  const rows = sheetData();
  $("sheet-section").hidden = !rows;
  if (!rows) return;
  $("sheet").tBodies[0].replaceChildren(...rows.map((r) => {
    const cell = (text, what) => el("td", {}, code(text), " ", copyButton(text, `${what}: ${r.displayName}`));
    const tr = el("tr", {}, el("td", {}, bdi(r.displayName)), cell(r.appId, t("appId")), cell(r.tenantId, t("tenantId")),
      r.secret ? Object.assign(cell(r.secret, t("sheetSecret")), { className: "sheet-secret" }) : el("td"),
      el("td", { textContent: r.secretExpires ? date(r.secretExpires) : "" }));
    tr.dataset.key = r.key;
    return tr;
  }));
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  el("a", { href: url, download: name }).click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---- The page ------------------------------------------------------------------------------------------------
function localize() {
  for (const node of document.querySelectorAll("[data-i18n]")) {
    const text = api.i18n.getMessage(node.dataset.i18n);
    if (text) node.textContent = text;
  }
  document.documentElement.lang = lang();
  document.title = `${t("healthTitle")} · ${t("extName")}`;
}

async function main() {
  localize();
  const { tenants } = await ask({ type: "state" });
  $("no-tenant").hidden = tenants.length > 0;
  $("check").disabled = tenants.length === 0;
  const label = (x) => (x.upn ? `${x.upn} · ${x.tid}` : x.tid);
  if (tenants.length > 1) {
    $("tenant").append(...tenants.map((x) => el("option", { value: x.tid, textContent: label(x) })));
    $("tenant-row").hidden = false;
    $("tenant").addEventListener("change", () => {
      view.tid = $("tenant").value;
      check();
    });
  } else if (tenants.length === 1) {
    $("tenant-one").replaceChildren(sentence(t, "healthTenantOne", label(tenants[0])));
    $("tenant-one").hidden = false;
  }
  view.tid = tenants[0]?.tid ?? null;
  $("check").addEventListener("click", check);
  $("health-csv").addEventListener("click", () => view.report && download("lucs-health.csv", "text/csv", healthCsv(view.report)));
  $("health-json").addEventListener("click", () => view.report && download("lucs-health.json", "application/json", healthJson(view.report)));
  const withSecrets = () => $("sheet-secrets").checked;
  $("sheet-secrets").addEventListener("change", () => (document.body.dataset.printSecrets = String(withSecrets())));
  $("sheet-copy").addEventListener("click", async () => {
    const rows = sheetData();
    if (!rows) return;
    await navigator.clipboard.writeText(sheetText(t, rows, { withSecrets: withSecrets() }));
    say(t("sheetCopied"));
  });
  $("sheet-csv").addEventListener("click", () => {
    const rows = sheetData();
    if (rows) download("lucs-configuration.csv", "text/csv", sheetCsv(rows, { withSecrets: withSecrets() }));
  });
  $("sheet-print").addEventListener("click", () => print());
  // A secret marked stored on the secrets page leaves the sheet.
  api.storage.onChanged.addListener((changes, area) => {
    if (area === "session" && changes.secrets) drawSheet().catch((err) => say(err.message));
  });
  if (view.tid) await check();
  document.body.dataset.ready = "true";
}

main().catch((err) => say(err.message));
