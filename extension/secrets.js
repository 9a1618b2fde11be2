// Client secrets between the run that made them and the admin's vault. A secret's text lives only in
// storage.session (the waiting list), until the admin marks it stored or the browser closes; the kept run records
// in storage.local say, by key id and never with the text, which secrets were handed over and not yet confirmed,
// so one whose text is gone is said to be lost instead of vanishing in silence. Pure, for the background, the
// pages and node tests.
import { STATUS } from "./runs/status.js";

const isText = (s) => typeof s === "string" && s.length > 0;
const isRecord = (r) => r && typeof r === "object" && isText(r.keyId) && isText(r.key) && isText(r.secretText) &&
  typeof r.displayName === "string" && (r.appId === null || typeof r.appId === "string") &&
  (r.endDateTime === null || typeof r.endDateTime === "string");

/** The records of a stored waiting list that have the expected shape (anything else is dropped). */
export function validWaiting(list) {
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

/**
 * The waiting records for the secrets a run handed over (a report's or a stop's `secrets`): each with its app's
 * display name and Application (client) ID, from the report's applications, else the run's journal and plan.
 */
export function recordsOf(secrets, { runId, tid, applications = [], journal = null, plan = null, at = Date.now() }) {
  const byKey = (list) => new Map((list ?? []).map((a) => [a.key, a]));
  const outcomes = byKey(applications);
  const journaled = byKey(journal?.apps);
  const planned = byKey(plan?.applications);
  const given = (Array.isArray(secrets) ? secrets : []).filter((s) => s && isText(s.keyId) && isText(s.secretText));
  return given.map((s) => ({
    keyId: s.keyId,
    key: String(s.key ?? ""),
    displayName: outcomes.get(s.key)?.displayName ?? planned.get(s.key)?.displayName ?? String(s.key ?? ""),
    appId: outcomes.get(s.key)?.appId ?? journaled.get(s.key)?.appId ?? null,
    endDateTime: typeof s.endDateTime === "string" ? s.endDateTime : null,
    secretText: s.secretText,
    runId: String(runId ?? ""),
    tid: String(tid ?? ""),
    at,
  }));
}

/** The waiting list with `records` added; a key id already waiting is not added twice. */
export function addWaiting(list, records) {
  const current = validWaiting(list);
  const known = new Set(current.map((r) => r.keyId));
  return [...current, ...validWaiting(records).filter((r) => !known.has(r.keyId) && known.add(r.keyId))];
}

/** The waiting list without the secrets `keyIds` (marked stored). */
export function removeWaiting(list, keyIds) {
  const gone = new Set(keyIds);
  return validWaiting(list).filter((r) => !gone.has(r.keyId));
}

// What a kept run record says of a secret: which app and which key, never the text.
const mention = ({ keyId, key, displayName, appId, endDateTime }) => ({ keyId, key, displayName, appId, endDateTime });

/** The kept list after run `runId` handed over `records`: its entry names each one as not yet confirmed stored. */
export function markHandedOver(kept, runId, records) {
  return kept.map((e) => {
    if (e.id !== runId) return e;
    const before = Array.isArray(e.unconfirmedSecrets) ? e.unconfirmedSecrets : [];
    const known = new Set(before.map((m) => m.keyId));
    const added = validWaiting(records).filter((r) => !known.has(r.keyId)).map(mention);
    return { ...e, unconfirmedSecrets: [...before, ...added] };
  });
}

/** The kept list once the secrets `keyIds` are confirmed stored: no entry names them any more. */
export function markConfirmed(kept, keyIds) {
  const done = new Set(keyIds);
  return kept.map((e) => (Array.isArray(e.unconfirmedSecrets) && e.unconfirmedSecrets.some((m) => done.has(m.keyId))
    ? { ...e, unconfirmedSecrets: e.unconfirmedSecrets.filter((m) => !done.has(m.keyId)) }
    : e));
}

/**
 * The secrets handed over and never confirmed stored whose text is no longer waiting (the browser closed): each
 * must be made anew. A rolled-back run deleted its apps, and their secrets with them.
 */
export function lostSecrets(kept, waiting) {
  const held = new Set(validWaiting(waiting).map((r) => r.keyId));
  return (Array.isArray(kept) ? kept : [])
    .filter((e) => e && e.status !== STATUS.rolledBack && Array.isArray(e.unconfirmedSecrets))
    .flatMap((e) => e.unconfirmedSecrets.filter((m) => m && isText(m.keyId) && !held.has(m.keyId))
      .map((m) => ({ ...mention(m), runId: e.id, tid: e.tid })));
}

// A spreadsheet runs a cell that starts with = + - @ (or a tab or return) as a formula: such text is quoted with a
// leading apostrophe (OWASP, CSV injection).
const cell = (value) => {
  const text = String(value ?? "");
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

const CSV_HEADER = ["displayName", "key", "applicationId", "secretKeyId", "expires", "secret"];

/** The waiting secrets as CSV, one line per secret, for the one download. */
export function secretsCsv(records) {
  const lines = validWaiting(records).map((r) => [r.displayName, r.key, r.appId, r.keyId, r.endDateTime, r.secretText].map(cell).join(","));
  return `${[CSV_HEADER.join(","), ...lines].join("\r\n")}\r\n`;
}
