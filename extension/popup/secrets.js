// The secrets waiting to be stored are counted here and shown on the results page, which stays open while the
// admin copies them elsewhere; a lost one is said here until the admin made a new one.
import { api } from "../browser.js";
import { lostItem } from "../lost.js";
import { $, ask, showError, t } from "./state.js";

/** Draws the background's answer to `secrets` (asked here unless `reply`, a promise of it, is given). */
export async function renderSecrets(reply = ask({ type: "secrets" })) {
  const { waiting, lost } = await reply;
  $("secrets-note").hidden = waiting.length === 0 && lost.length === 0;
  $("secrets-waiting").hidden = waiting.length === 0;
  $("secrets-count").textContent = waiting.length === 1 ? t("secretWaiting") : t("secretsWaiting", String(waiting.length));
  document.body.dataset.secrets = String(waiting.length);
  $("secrets-lost").replaceChildren(...lost.map((m) => lostItem(t, m, () =>
    ask({ type: "markSecretsStored", keyIds: [m.keyId] }).catch(showError))));
}

// A tab of the extension's own needs no permission, and it stays open when focus moves to a vault.
export const bindSecrets = () =>
  $("open-secrets").addEventListener("click", () => api.tabs.create({ url: api.runtime.getURL("results.html") }));
