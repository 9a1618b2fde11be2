// Benchmark (not a test): the release Wasm registers the full LUCS set (10 apps) against the sandbox tenant,
// which adds LATENCY ms to every Graph request, and planning is timed. Prints a table, then name=value lines.
import { plan, register, verify, version } from "../../pkg/lucs_registrar.js";
import { FULL_SET as request, call, sandbox } from "./sandbox.mjs";

const PLANS = 2000;
let p = plan(request);
const t0 = process.hrtime.bigint();
for (let i = 0; i < PLANS; i++) p = plan(request);
const planUs = Number(process.hrtime.bigint() - t0) / 1000 / PLANS;

await call("/sandbox/reset", { method: "POST", body: "{}" });
const latency = (await call("/sandbox/faults")).latencyMs;
const { access_token: token } = await call("/sandbox/token");
const before = (await call("/sandbox/state")).graphRequests;
const start = performance.now();
const report = await register(p, { graphBaseUrl: `${sandbox}/v1.0`, getToken: async () => token });
const wallMs = Math.round(performance.now() - start);
const state = await call("/sandbox/state");
const httpRequests = state.graphRequests - before;

console.log(`LUCS App Registrar ${version()} — full LUCS set (${report.applications.length} apps) against the sandbox`);
console.table({
  "Graph round trips (engine)": report.roundTrips,
  "HTTP requests reaching Graph": httpRequests,
  "injected latency per request (ms)": latency,
  "wall time of the run (ms)": wallMs,
  "planning, mean of 2000 (µs)": Number(planUs.toFixed(1)),
  "duplicates in the tenant": state.duplicates.length,
});
console.log(`round_trips=${report.roundTrips}`);
console.log(`http_requests=${httpRequests}`);
console.log(`latency_ms=${latency}`);
console.log(`wall_ms=${wallMs}`);
console.log(`plan_us=${planUs.toFixed(1)}`);

// Register right after "Check against the tenant": the run starts from what the check read (the API's permissions,
// the keys nobody holds), so the figure is the run's own round trips after the check's.
await call("/sandbox/reset", { method: "POST", body: "{}" });
const checkToken = (await call("/sandbox/token")).access_token;
const checkOptions = { graphBaseUrl: `${sandbox}/v1.0`, getToken: async () => checkToken };
const drift = await verify(p, checkOptions);
const afterCheck = await register(p, { ...checkOptions, discovery: drift.discovery });
if (afterCheck.applications.length !== report.applications.length) throw new Error("the run after a check fell short");
console.log(`round_trips_after_check=${afterCheck.roundTrips}`);

// A squatted tenant: a member registered lucs-cr-1 first and owns it. The run reads every key with its owners and
// credentials and stops before its first write; the figures are the round trips that takes and the writes made.
await call("/sandbox/reset", { method: "POST", body: "{}" });
await call("/sandbox/member-app", {
  method: "POST",
  body: JSON.stringify({ uniqueName: "lucs-cr-1", displayName: "LUCS Conversation Recording (1)", ownerUpn: "member@contoso.example" }),
});
const squatToken = (await call("/sandbox/token")).access_token;
const squatBefore = await call("/sandbox/state");
let squatStop;
try {
  await register(p, { graphBaseUrl: `${sandbox}/v1.0`, getToken: async () => squatToken });
} catch (e) {
  squatStop = e;
}
const squatAfter = await call("/sandbox/state");
if (squatStop?.kind !== "foreignApps") throw new Error(`the squatted tenant did not stop as foreignApps: ${squatStop}`);
console.log(`round_trips_squatted=${squatAfter.graphRequests - squatBefore.graphRequests}`);
console.log(`writes_squatted=${squatAfter.writeRequests - squatBefore.writeRequests}`);
