// Type-checked with `tsc --noEmit` in `make test`: the declarations describe what callers really write.
import init, { catalog, exportPlan, loadCatalog, plan, version } from "../../src/lucs_registrar.js";
import type { ExportFormat, Plan, PlanRequest, RegistrarError, RunResults } from "../../src/lucs_registrar.js";

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
