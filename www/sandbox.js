// "Try it on the sandbox tenant": only when this page is served by the local Graph sandbox (`make demo`), which
// answers /sandbox/state on the same origin. Runs the real engine through the same register() the extension uses.
import { register } from "./pkg/lucs_registrar.js";
import { $, el, progressLine, resultRows } from "./dom.js";

async function sandboxCall(path, body) {
  const init = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(path, init);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

function showResults(report) {
  const table = $("sandbox-results");
  table.tBodies[0].replaceChildren(...resultRows(report));
  table.hidden = false;
  $("sandbox-secrets").replaceChildren(
    ...report.secrets.map((s) =>
      el("div", { className: "secret" },
        el("strong", { textContent: `Client secret for ${s.key}` }),
        ` (expires ${s.endDateTime}) — shown once, never stored: `,
        el("code", { textContent: s.secretText }))),
  );
}

export async function enableSandbox(currentPlan) {
  let state;
  try {
    state = await sandboxCall("/sandbox/state");
  } catch {
    return false;
  }
  $("sandbox").hidden = false;
  $("sandbox-status").textContent = `Tenant ${state.tenantId} · signed in as ${state.user.upn}`;
  let journal = null;
  // The journals of this page's finished runs in this tenant: they tell the next run which apps and secrets this
  // tool made, so registering again over them is not stopped as if someone else had made them.
  let kept = [];
  $("sandbox-reset").addEventListener("click", async () => {
    await sandboxCall("/sandbox/reset", {});
    journal = null;
    kept = [];
    $("sandbox-results").hidden = true;
    $("sandbox-progress").replaceChildren();
    $("sandbox-secrets").replaceChildren();
    $("sandbox-status").textContent = "The sandbox tenant is empty.";
  });
  $("sandbox-run").addEventListener("click", async () => {
    const plan = currentPlan();
    if (!plan) {
      $("sandbox-status").textContent = "Fix the plan first.";
      return;
    }
    await sandboxCall("/sandbox/faults", {
      throttle: $("fault-throttle").checked ? 0.2 : 0,
      retryAfterS: 1,
      replicationMs: $("fault-replication").checked ? 3000 : 0,
      drop: $("fault-drop").checked ? 0.1 : 0,
    });
    const progress = $("sandbox-progress");
    progress.replaceChildren();
    $("sandbox-run").disabled = true;
    $("sandbox-status").textContent = "Registering…";
    const started = performance.now();
    try {
      const report = await register(plan, {
        graphBaseUrl: `${location.origin}/v1.0`,
        getToken: async () => (await sandboxCall("/sandbox/token")).access_token,
        journal,
        journals: kept,
        onProgress: (e) => {
          progress.append(progressLine(e));
          progress.scrollTop = progress.scrollHeight;
        },
      });
      journal = null;
      kept = [...kept, report.journal].slice(-5);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      $("sandbox-status").textContent =
        `Registered ${report.applications.length} apps in ${report.roundTrips} round trips (${report.retries} retries, ${seconds} s).`;
      showResults(report);
    } catch (err) {
      journal = err.journal ?? journal;
      $("sandbox-status").textContent = `${err.message}${journal ? " — press Register again to resume." : ""}`;
    } finally {
      $("sandbox-run").disabled = false;
    }
  });
  return true;
}
