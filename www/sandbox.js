// "Try it on the sandbox tenant": only when this page is served by the local Graph sandbox (`make demo`), which
// answers /sandbox/state on the same origin. Runs the real engine through the same register() the extension uses.
// Everything it shows is kept as data (state, events, report) and drawn with say(), so a language switch redraws it.
import { register } from "./pkg/lucs_registrar.js";
import { stopParts } from "./core-words.js";
import { $, el, progressLine, resultRows } from "./dom.js";
import { hush, language, literal, say, t, tp } from "./i18n.js";

class SandboxError extends Error {
  constructor(path, status) {
    super(`${path}: HTTP ${status}`);
    this.path = path;
    this.status = status;
  }
}

async function sandboxCall(path, body) {
  const init = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(path, init);
  if (!response.ok) throw new SandboxError(path, response.status);
  return response.json();
}

const status = (render) => say($("sandbox-status"), render);

/** What the health section reads: this page's kept journals in the sandbox tenant and the last run's report. */
export const lastRun = { kept: [], report: null };

function showResults(report) {
  const table = $("sandbox-results");
  say(table.tBodies[0], () => resultRows(report));
  table.hidden = false;
  say($("sandbox-secrets"), () =>
    report.secrets.map((s) =>
      el("div", { className: "secret" },
        el("strong", {}, ...tp("secretFor", { key: literal(s.key) })),
        ...tp("secretShownOnce", { date: new Date(s.endDateTime).toLocaleString(language(), { dateStyle: "medium", timeStyle: "short" }) }),
        literal(s.secretText))));
}

// Why a run stopped, and that pressing Register resumes it when there is a journal to resume from.
function failure(err, resumable) {
  if (err instanceof SandboxError) return tp("sandboxHttp", { path: literal(err.path), status: err.status });
  const parts = err.code ? stopParts(err) : [err.message];
  return resumable ? [...parts, t("sandboxResume")] : parts;
}

export async function enableSandbox(currentPlan) {
  let state;
  try {
    state = await sandboxCall("/sandbox/state");
  } catch {
    return false;
  }
  $("sandbox").hidden = false;
  status(() => tp("sandboxSignedIn", { tenant: literal(state.tenantId), upn: literal(state.user.upn) }));
  let journal = null;
  let events = [];
  const progress = $("sandbox-progress");
  // The journals of this page's finished runs in this tenant: they tell the next run which apps and secrets this
  // tool made, so registering again over them is not stopped as if someone else had made them.
  let kept = [];
  $("sandbox-reset").addEventListener("click", async () => {
    await sandboxCall("/sandbox/reset", {});
    journal = null;
    kept = [];
    Object.assign(lastRun, { kept, report: null });
    events = [];
    $("sandbox-results").hidden = true;
    hush(progress);
    hush($("sandbox-secrets"));
    status(() => t("sandboxEmpty"));
  });
  $("sandbox-run").addEventListener("click", async () => {
    const plan = currentPlan();
    if (!plan) {
      status(() => t("sandboxFixPlan"));
      return;
    }
    // Busy from the click on, not only once the faults are set: nothing reads the button as idle meanwhile.
    $("sandbox-run").disabled = true;
    try {
      await sandboxCall("/sandbox/faults", {
        throttle: $("fault-throttle").checked ? 0.2 : 0,
        retryAfterS: 1,
        replicationMs: $("fault-replication").checked ? 3000 : 0,
        drop: $("fault-drop").checked ? 0.1 : 0,
      });
    } catch (err) {
      $("sandbox-run").disabled = false;
      status(() => failure(err, false));
      return;
    }
    events = [];
    hush(progress);
    status(() => t("sandboxRegistering"));
    const started = performance.now();
    try {
      const report = await register(plan, {
        graphBaseUrl: `${location.origin}/v1.0`,
        getToken: async () => (await sandboxCall("/sandbox/token")).access_token,
        journal,
        journals: kept,
        onProgress: (e) => {
          events.push(e);
          const shown = events;
          say(progress, () => shown.map(progressLine));
          progress.scrollTop = progress.scrollHeight;
        },
      });
      journal = null;
      kept = [...kept, report.journal].slice(-5);
      Object.assign(lastRun, { kept, report });
      document.dispatchEvent(new CustomEvent("lucs-sandbox-run"));
      const seconds = (performance.now() - started) / 1000;
      const counts = { apps: report.applications.length, trips: report.roundTrips, retries: report.retries };
      const tenths = () =>
        new Intl.NumberFormat(language(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(seconds);
      status(() => t("sandboxRegistered", { ...counts, seconds: tenths() }));
      showResults(report);
    } catch (err) {
      journal = err.journal ?? journal;
      const resumable = Boolean(journal);
      status(() => failure(err, resumable));
    } finally {
      $("sandbox-run").disabled = false;
    }
  });
  return true;
}
