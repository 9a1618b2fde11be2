// Between the two steps of a renewal: when each key of the app last signed in (Graph's beta sign-in activity
// report, one round trip of its own), so the admin sees LUCS switch to the new secret before removing the old one;
// or why the report cannot be read. Drawn with say(), so a language switch redraws it.
import { credentialActivity } from "./pkg/lucs_registrar.js";
import { el } from "./dom.js";
import { language, say, t } from "./i18n.js";

const when = (iso) => new Date(iso).toLocaleString(language(), { dateStyle: "medium", timeStyle: "short" });

/**
 * `slots`: for each key id, the node its last sign-in is written into. Returns the note and the button that reads
 * the report again; it is read once at once.
 */
export function signIns(appId, slots, graph) {
  const note = el("p", { id: "renew-activity", role: "status" });
  const again = el("button", { type: "button", className: "small", id: "renew-activity-read" });
  say(again, () => t("activityRead"));
  const read = async () => {
    again.disabled = true;
    try {
      const got = await credentialActivity([appId], graph());
      const last = new Map(got.keys.map((k) => [k.keyId.toLowerCase(), k.lastSignInDateTime]));
      for (const [keyId, node] of slots) {
        const at = last.get(keyId.toLowerCase());
        node.dataset.lastSignIn = at ?? "";
        say(node, () => (!got.readable ? "" : at ? ` · ${t("activityLast", { time: when(at) })}` : ` · ${t("activityNone")}`));
      }
      note.dataset.readable = String(got.readable);
      say(note, () => (got.readable ? t("activityHint")
        : got.licenseRequired ? t("activityLicense")
          : got.missingScopes.length ? t("activityLacks", { scopes: got.missingScopes.join(", ") }) : t("activityRefused", { status: got.status ?? "–" })));
    } catch (err) {
      say(note, () => err.message);
    } finally {
      again.disabled = false;
    }
  };
  again.addEventListener("click", read);
  read();
  return [note, again];
}
