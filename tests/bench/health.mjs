// Benchmark (not a test): the health check of a registered full LUCS set (10 apps), then with the drifted states
// seeded, against the sandbox tenant, which adds its latency to every Graph request; then one app's last sign-ins, the
// optional read the renewal view makes beside it. Prints name=value lines.
import { credentialActivity, health, plan, register } from "../../pkg/lucs_registrar.js";
import { FULL_SET as request, call, sandbox } from "./sandbox.mjs";

const p = plan(request);

await call("/sandbox/reset", { method: "POST", body: "{}" });
const { access_token: token } = await call("/sandbox/token");
const options = { graphBaseUrl: `${sandbox}/v1.0`, getToken: async () => token };
const registered = await register(p, options);
// The registered installation as it is: the 10 apps, two round trips.
const timed = async () => {
  const before = (await call("/sandbox/state")).graphRequests;
  const start = performance.now();
  const report = await health(p, { ...options, journals: [registered.journal] });
  const wallMs = Math.round(performance.now() - start);
  return { report, wallMs, httpRequests: (await call("/sandbox/state")).graphRequests - before };
};
const clean = await timed();
if (clean.report.applications.length !== 10 || clean.report.attention !== 0) throw new Error(`a fresh installation: ${JSON.stringify(clean.report.applications.length)} apps, ${clean.report.attention} need attention`);

// Then with each drifted state seeded, an app the plan no longer has among them: 11 apps, and a service principal
// read per app beyond the 10 a $batch of 20 holds.
await call("/sandbox/health-states", { method: "POST", body: JSON.stringify({ prefix: "LUCS" }) });
const { report, wallMs, httpRequests } = await timed();
if (report.applications.length !== 11) throw new Error(`the health check saw ${report.applications.length} apps, not 11`);

const app = report.applications.find((a) => a.key === "lucs-cic");
const activityStart = performance.now();
const activity = await credentialActivity([app.appId], options);
const activityMs = Math.round(performance.now() - activityStart);
if (!activity.readable || activity.keys.length !== app.secrets.length) throw new Error(`last sign-ins: ${JSON.stringify(activity)}`);

console.log(`health_apps=${clean.report.applications.length}`);
console.log(`health_round_trips=${clean.report.roundTrips}`);
console.log(`health_http_requests=${clean.httpRequests}`);
console.log(`health_wall_ms=${clean.wallMs}`);
console.log(`health_seeded_apps=${report.applications.length}`);
console.log(`health_seeded_round_trips=${report.roundTrips}`);
console.log(`health_seeded_http_requests=${httpRequests}`);
console.log(`health_seeded_wall_ms=${wallMs}`);
console.log(`health_seeded_attention=${report.attention}`);
console.log(`credential_activity_round_trips=${activity.roundTrips}`);
console.log(`credential_activity_wall_ms=${activityMs}`);
