// A secret handed over and never confirmed stored, whose text went with a closed browser: said on the popup and
// the results page alike, with the app's name, Application ID and secret ID, until the admin made a new one.
import { bdi, el, sentence } from "./ui/ui.js";

export function lostItem(t, m, handled) {
  const b = el("button", { type: "button", className: "small", textContent: t("lostHandled") });
  b.addEventListener("click", () => {
    b.disabled = true;
    handled();
  });
  const li = el("li", {}, sentence(t, "secretLost", bdi(m.displayName), m.appId ?? "?", m.keyId), " ", b);
  li.dataset.keyId = m.keyId;
  return li;
}
