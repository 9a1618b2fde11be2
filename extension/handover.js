// The background's side of secrets.js: the secrets waiting to be stored, in storage.session only (gone when the
// browser closes, never on disk), changed one write after another, and their count on the toolbar button.
import { api } from "./browser.js";
import { addWaiting, removeWaiting, validWaiting } from "./secrets.js";

let writes = Promise.resolve();
const read = async () => validWaiting((await api.storage.session.get("secrets")).secrets);

async function badge(n) {
  await api.action?.setBadgeText({ text: n > 0 ? String(n) : "" });
  await api.action?.setBadgeBackgroundColor?.({ color: "#b00020" });
}

function change(fn) {
  const next = writes.then(async () => {
    const list = fn(await read());
    await api.storage.session.set({ secrets: list });
    await badge(list.length);
    return list;
  });
  writes = next.catch(() => {});
  return next;
}

/** The secrets waiting now, after any write under way. */
export const waiting = () => writes.then(read);
/** Keeps `records` (secrets.js recordsOf) until each is marked stored. */
export const hold = (records) => change((list) => addWaiting(list, records));
/** Forgets the secrets `keyIds`: the admin stored them. */
export const release = (keyIds) => change((list) => removeWaiting(list, keyIds));
/** Says the count again (a worker that starts anew). */
export const showCount = async () => badge((await waiting()).length);
