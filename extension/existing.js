// What the popup shows of an app that already exists under one of the plan's keys: when it was made, by whom it is
// owned and how many secrets it holds; for one not made by this tool for the signed-in admin (foreign), each owner
// — flagged unless it is the admin — and each credential by kind, key ID, hint and end date. Never a secret's text:
// Graph does not list it (learn.microsoft.com/graph/api/application-addpassword: secretText is returned only when the
// secret is made) and summarize() passes on only the fields it names. Every name from Graph is bidi-isolated.
import { bdi, el, sentence } from "./ui/ui.js";
import { ownerLabel, summarize } from "./standing.js";

const when = (iso) => {
  const d = iso ? new Date(iso) : null;
  return d && !Number.isNaN(d.getTime()) ? d.toLocaleString() : null;
};
const day = (iso) => {
  const d = iso ? new Date(iso) : null;
  return d && !Number.isNaN(d.getTime()) ? d.toLocaleDateString() : null;
};

/** The owners as a run of isolated names, each followed by "(not you)" unless it is the signed-in user. */
export function ownerList(t, owners, { flag = true } = {}) {
  const node = el("span", { className: "owners" });
  if (owners.length === 0) node.append(t("noOwners"));
  owners.forEach((o, i) => {
    if (i > 0) node.append(", ");
    node.append(bdi(ownerLabel(o)));
    if (flag && !o.you) node.append(" ", el("span", { className: "flag", textContent: `(${t("notYou")})` }));
    else if (flag) node.append(" ", el("span", { className: "muted", textContent: `(${t("you")})` }));
  });
  return node;
}

function credentialItem(t, c) {
  const item = el("li", {}, sentence(t, "credentialLine", t(`kind_${c.kind}`), c.keyId, c.hint ? `${c.hint}…` : "—", day(c.endDateTime) ?? t("unknown")));
  if (!c.madeByTool) item.append(" ", el("span", { className: "flag", textContent: `(${t("notMadeByTool")})` }));
  return item;
}

/**
 * The lines under one app of the preview (or of a foreignApps stop): "exists — created …, owners …, N secrets",
 * and for a foreign app its owners and credentials in full.
 */
export function existingDetails(t, existing, me) {
  const s = summarize(existing, me);
  const box = el("div", { className: `existing ${s.standing ?? ""}` });
  box.dataset.key = s.key ?? "";
  box.append(el("div", {}, sentence(t, "existsLine", when(s.created) ?? t("unknownTime"), ownerList(t, s.owners, { flag: s.standing === "foreign" }), String(s.secrets))));
  if (s.standing === "adopted") box.append(el("div", { className: "muted", textContent: t("adoptedEarlier") }));
  if (s.standing !== "foreign") return box;
  box.append(el("p", { className: "bad", textContent: t("foreignFlag") }));
  if (s.credentials.length) {
    box.append(el("div", { textContent: `${t("credentialsLabel")}:` }), el("ul", { className: "credentials" }, ...s.credentials.map((c) => credentialItem(t, c))));
  }
  return box;
}

/** A foreign app as a preview line of its own (a foreignApps stop, when no preview was made of it). */
export function foreignItem(t, existing, me) {
  return el("li", { className: "foreign" }, el("strong", {}, bdi(existing.displayName)), ` · ${existing.key}`, existingDetails(t, existing, me));
}
