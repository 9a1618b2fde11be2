// Type-checked with `tsc --noEmit` in `make test`: the declarations describe what callers really write.
import init, {
  catalog, decodeToken, driftFixPreview, exportPlan, fixDrift, health, loadCatalog, plan, preflight, register, renewSecret, retireSecret, rollback,
  secretPolicy, verify, version,
} from "../../src/lucs_registrar.js";
import type {
  Discovery, DiscoveryReply, ExportFormat, Journal, Plan, PlanRequest, ProgressEvent, RegistrarError, RunResults, RunStoppedError,
} from "../../src/lucs_registrar.js";

export async function usage(): Promise<string> {
  await init({ module_or_path: "lucs_registrar_bg.wasm" });
  const cat = catalog();
  const cr = cat.components.find((c) => c.code === "CR");
  const optional: string[] = cr ? cr.permissions.filter((p) => p.optional).map((p) => p.value) : [];
  const request: PlanRequest = {
    components: [{ code: "CR", instances: ["1", "2"], optionalPermissions: optional, redirectUris: { web: ["https://a.example/cb"] } }],
    prefix: "LUCS",
    options: { grantAdminConsent: true, secretLifetimeMonths: 12 },
  };
  let p: Plan;
  try {
    p = plan(request, loadCatalog(JSON.parse(JSON.stringify(cat))));
  } catch (e) {
    const err = e as RegistrarError;
    return `${err.code} at ${err.field ?? "(no field)"}: ${err.message}`;
  }
  const firstScope: string | undefined = p.applications[0]?.delegatedGrants[0]?.scope;
  const kind: "Scope" | "Role" = p.applications[0].application.requiredResourceAccess[0].resourceAccess[0].type;
  const instance: string | null = p.applications[0].instance;
  const results: RunResults = { tenantId: null, applications: [{ key: p.applications[0].key, appId: "x" }] };
  const formats: ExportFormat[] = ["manifest-json", "az-cli", "powershell", "terraform", "ids-csv"];
  const texts = formats.map((f) => exportPlan(p, f, results));
  return [version(), firstScope, kind, instance, ...texts].join("\n");
}

export async function run(p: Plan, token: string, signal: AbortSignal): Promise<string[]> {
  const claims = decodeToken(token);
  if (!claims.audienceIsGraph || claims.expired) return ["token unusable"];
  const lacking: string[] = claims.jobs.register.missingScopes;
  if (lacking.length > 0) return [`token of ${claims.appid ?? "an unknown client"} lacks ${lacking.join(", ")}`];
  const options = { graphBaseUrl: "https://graph.microsoft.com/v1.0", getToken: async () => token, signal };
  const pre = await preflight({ ...options, plan: p });
  if (pre.blockers.length > 0) return pre.blockers;
  const drift = await verify(p, options);
  const events: ProgressEvent[] = [];
  let journal: Journal | null = null;
  try {
    // Straight after the check: Register starts from what it read.
    const discovery: Discovery | undefined = drift.discovery;
    const report = await register(p, {
      ...options, onProgress: (e) => events.push(e), tenantId: pre.tenantId, discovery,
    });
    // @ts-expect-error A snapshot keeps only an API found (200) or a key not held (404), never a failure.
    const forged: DiscoveryReply = { url: "/applications(uniqueName='x')", status: 503, body: null };
    void forged;
    const age: number = Date.now() - (discovery?.takenAt ?? 0);
    void age;
    journal = report.journal;
    return report.applications.map((a) => `${a.displayName}: ${a.appId ?? "-"} (${drift.create} new)`);
  } catch (e) {
    const err = e as RunStoppedError;
    if (err.code === "runStopped" && err.journal) {
      const undone = await rollback(err.journal, options);
      return [err.kind, ...undone.deleted];
    }
    throw e;
  } finally {
    void journal;
  }
}

/** The lines an admin acts on: each app whose secret lapses soon, and each drifted or half-consented one. */
export async function lapsing(p: Plan, token: string): Promise<string[]> {
  const report = await health(p, { getToken: async () => token, now: new Date(), expiringWithinDays: 45 });
  const lines: string[] = [];
  for (const a of report.applications) {
    for (const s of a.secrets.filter((c) => c.state !== "ok")) lines.push(`${a.key}: ${s.hint ?? ""}… ${s.state} (${s.daysLeft ?? "?"} days)`);
    if (a.permissions.state === "drifted") lines.push(`${a.key}: missing ${a.permissions.missing.join(", ")}`);
    if (a.consent.state !== "complete") lines.push(`${a.key}: consent ${a.consent.state}; extra ${a.consent.extra.join(", ")}`);
  }
  return [`${report.checkedAt}: ${report.attention} of ${report.applications.length} need attention`, ...lines];
}

/** Both steps of a renewal, the second only once the caller says LUCS uses the new secret. */
export async function renew(p: Plan, key: string, token: string, switched: () => Promise<boolean>): Promise<string> {
  const options = { getToken: async () => token };
  const policy = await secretPolicy(p, key, options);
  const months = policy.offeredMonths.includes(12) ? 12 : policy.offeredMonths[0];
  if (months === undefined) return `${key}: ${policy.rules?.policyId ?? "a policy"} allows no client secret`;
  const renewal = await renewSecret(p, key, { ...options, lifetimeMonths: months });
  if (!(await switched())) return `${renewal.secret.keyId} added; ${renewal.kept.length} kept`;
  const old = renewal.kept.map((c) => c.keyId);
  const results = await Promise.all(old.map((keyId) => retireSecret(p, key, keyId, { ...options, journals: [renewal.journal] })));
  return `${results.length} retired, ${results.at(-1)?.remaining ?? "?"} left`;
}

/** The drift fix an admin previews, then runs with the extras they ticked; a stop is resumed from its journal. */
export async function fixTheDrift(p: Plan, token: string, tick: (name: string) => boolean): Promise<string> {
  const options = { getToken: async () => token };
  const report = await health(p, options);
  const preview = driftFixPreview(p, report);
  const removeExtras = preview.applications.flatMap((a) =>
    a.extras.filter((e) => tick(e.name)).map((e) => ({ key: a.key, source: e.source, name: e.name })));
  let journal: Journal | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fixed = await fixDrift(p, report, { ...options, removeExtras, journal });
      const skipped = fixed.skipped.map((s) => `${s.key}: ${s.reason}`).join("; ");
      return `${fixed.applications.length} fixed, ${fixed.removed.length} removed, ${fixed.kept.length} kept. ${skipped}`;
    } catch (e) {
      const err = e as RunStoppedError;
      if (err.code !== "runStopped" || !err.journal) throw e;
      journal = err.journal;
    }
  }
  return "stopped three times";
}
