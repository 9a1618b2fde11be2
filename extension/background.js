// Background: owns the Graph tokens and runs registrations, one concern a module under background/: capture.js
// (tokens from the portal's own Graph calls, or pasted), choice.js (the popup's choice and the plan made from it),
// reads.js (tenants, export, pre-flight, check), runs.js (Register, cancel, rollback, the secrets handed over,
// Apply's confirmation), portal.js (our content script's questions) and upkeep.js (the Health page's). Each adds
// its messages, shape beside handler, to the one table in messages.js, which also decides who may send what. The
// runs themselves are runs.js: one at a time, the run going now in storage.session so a stopped worker resumes it,
// the last runs' journals in storage.local, the client secrets in storage.session (handover.js).
import { api } from "./browser.js";
import { load } from "./keeper.js";
import { showCount } from "./handover.js";
import { allowed, handlerOf, senderKind } from "./messages.js";
import { publishViews, resumeAfterRestart } from "./runs.js";
import { captureTokens } from "./background/capture.js";
import { wasm } from "./background/wasm.js";
import "./background/choice.js";
import "./background/reads.js";
import "./background/runs.js";
import "./background/portal.js";
import "./background/upkeep.js";

captureTokens();

// Messages wait for a stopped worker's run to be picked up again, so none can start a run beside it. The pages'
// views of the run and the kept runs are written anew: a new browser session starts with storage.session empty.
const started = wasm().then(load).then(resumeAfterRestart).then(publishViews).catch(() => {});
showCount().catch(() => {});

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const kind = senderKind(sender, api.runtime.id, api.runtime.getURL(""));
  if (!allowed(kind, message)) {
    sendResponse({ error: "refused" });
    return false;
  }
  started
    .then(() => handlerOf(message)(message, sender))
    .then((result) => sendResponse({ result }))
    .catch((err) => sendResponse({ error: err.message ?? String(err), code: err.code, field: err.field }));
  return true;
});

api.storage.session.setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" });
