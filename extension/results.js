// The client secrets waiting to be stored, in a tab of their own: unlike the popup it stays open while the admin
// copies each secret into a vault in another window. It shows what the background holds in storage.session and
// changes nothing but by asking it; a secret leaves only when the admin marks it stored.
import { api } from "./browser.js";
import { secretsCsv } from "./secrets.js";
import { bdi, copyButton as copyButtonIn, el } from "./ui/ui.js";
import { lostItem } from "./lost.js";

const $ = (id) => document.getElementById(id);
const t = (key, ...subs) => api.i18n.getMessage(key, subs) || key;
const copyButton = (text, what) => copyButtonIn(t, text, what);

async function ask(message) {
  const reply = await api.runtime.sendMessage(message);
  if (!reply || reply.error) throw Object.assign(new Error(reply?.error ?? "no answer"), reply ?? {});
  return reply.result;
}

let shown = [];
const say = (text) => ($("status").textContent = text);
const expiry = (iso) => (iso ? new Date(iso).toLocaleDateString(t("options_lang") || undefined) : "");

async function stored(keyIds) {
  try {
    await ask({ type: "markSecretsStored", keyIds });
  } catch (err) {
    say(err.message);
  }
}

function row(s) {
  const done = el("button", { type: "button", className: "small", textContent: t("markStored") });
  done.setAttribute("aria-label", `${t("markStored")}: ${s.displayName}`);
  done.addEventListener("click", () => {
    done.disabled = true;
    stored([s.keyId]);
  });
  const tr = el("tr", {},
    el("td", {}, bdi(s.displayName)),
    el("td", {}, el("code", { textContent: s.appId ?? "" })),
    el("td", {}, el("code", { textContent: s.keyId })),
    el("td", { textContent: expiry(s.endDateTime), title: s.endDateTime ?? "" }),
    el("td", { className: "secret-value" }, el("code", { textContent: s.secretText }), " ", copyButton(s.secretText, `${t("secretValue")}: ${s.displayName}`)),
    el("td", {}, done));
  tr.dataset.keyId = s.keyId;
  return tr;
}

async function render() {
  const { waiting, lost } = await ask({ type: "secrets" });
  shown = waiting;
  $("secrets").tBodies[0].replaceChildren(...waiting.map(row));
  $("none").hidden = waiting.length > 0;
  $("secrets").hidden = waiting.length === 0;
  for (const id of ["copy-all", "download", "all-stored"]) $(id).disabled = waiting.length === 0;
  $("lost").replaceChildren(...lost.map((m) => lostItem(t, m, () => stored([m.keyId]))));
}

function localize() {
  for (const node of document.querySelectorAll("[data-i18n]")) {
    const text = api.i18n.getMessage(node.dataset.i18n);
    if (text) node.textContent = text;
  }
  // The language the page's words are in: the extension's locale, which may not be the browser's own.
  document.documentElement.lang = t("options_lang") || "en";
  document.title = `${t("secretsTitle")} · ${t("extName")}`;
}

async function main() {
  localize();
  api.storage.onChanged.addListener((changes, area) => {
    if ((area === "session" && changes.secrets) || (area === "local" && changes.journals)) render().catch((err) => say(err.message));
  });
  $("copy-all").addEventListener("click", async () => {
    await navigator.clipboard.writeText(secretsCsv(shown));
    say(t("secretsCopied"));
  });
  // A file made in the page (no downloads permission): the secrets stay here until each is marked stored.
  $("download").addEventListener("click", () => {
    const url = URL.createObjectURL(new Blob([secretsCsv(shown)], { type: "text/csv" }));
    el("a", { href: url, download: "lucs-client-secrets.csv" }).click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    say(t("secretsDownloaded"));
  });
  // Forgetting every secret at once is asked twice.
  $("all-stored").addEventListener("click", () => {
    const b = $("all-stored");
    if (!b.dataset.armed) {
      b.dataset.armed = "true";
      b.textContent = `${t("allStored")}?`;
      return;
    }
    delete b.dataset.armed;
    b.textContent = t("allStored");
    stored(shown.map((s) => s.keyId));
  });
  await render();
  document.body.dataset.ready = "true";
}

main().catch((err) => say(err.message));
