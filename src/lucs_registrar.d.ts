// The JS API of LUCS App Registrar, written by hand (wasm-bindgen would say `any` everywhere).
// `make build` puts it beside the generated glue as pkg/lucs_registrar.d.ts; tests/ts/api-usage.ts type-checks it.

/** Microsoft Graph's resource appId. */
export type GraphAppId = "00000003-0000-0000-c000-000000000000";
export type PermissionKind = "delegated" | "application";

export interface Permission {
  resourceAppId: string;
  /** Claim value, e.g. "Mail.Send". */
  value: string;
  kind: PermissionKind;
  /** Scope id (delegated) or app role id (application), a GUID. */
  id: string;
  adminConsentRequired: boolean;
  /** Left out of a plan unless asked for. */
  optional: boolean;
  /** Microsoft's admin-consent display name. */
  description?: string;
}

export interface Component {
  code: string;
  name: string;
  purpose: string;
  multiInstance: boolean;
  /** Corrections to the vendor's document, to be shown to the user. */
  errata: string[];
  permissions: Permission[];
}

export interface Catalog {
  profile: string;
  components: Component[];
}

export interface RedirectUris {
  web?: string[];
  spa?: string[];
  publicClient?: string[];
}

export interface ComponentRequest {
  code: string;
  /** One app per label (multi-instance components only). Default ["1"]. */
  instances?: string[];
  redirectUris?: RedirectUris;
  /** Per instance label; replaces `redirectUris` for that instance. */
  instanceRedirectUris?: Record<string, RedirectUris>;
  /** Optional permission values to include, e.g. ["Calendars.Read.Shared"]. */
  optionalPermissions?: string[];
  /** Overrides `options.createSecret` for this component. */
  createSecret?: boolean;
}

export interface PlanOptions {
  /** Default true. */
  grantAdminConsent?: boolean;
  /** Default: only for components with application permissions. */
  createSecret?: boolean;
  /** 1–24, default 12. */
  secretLifetimeMonths?: number;
  /** Include every optional permission. Default false. */
  includeOptional?: boolean;
}

export interface PlanRequest {
  components: ComponentRequest[];
  /** Default "LUCS". */
  prefix?: string;
  options?: PlanOptions;
}

/** The exact Microsoft Graph `application` body. */
export interface GraphApplication {
  displayName: string;
  signInAudience: "AzureADMyOrg";
  tags: string[];
  notes: string;
  requiredResourceAccess: {
    resourceAppId: string;
    resourceAccess: { id: string; type: "Scope" | "Role" }[];
  }[];
  web?: { redirectUris: string[] };
  spa?: { redirectUris: string[] };
  publicClient?: { redirectUris: string[] };
}

export interface PlannedPermission {
  resourceAppId: string;
  value: string;
  kind: PermissionKind;
  id: string;
  adminConsentRequired: boolean;
}

export interface PlannedApp {
  /** The Graph `uniqueName`, e.g. "lucs-cr-2". */
  key: string;
  component: string;
  componentName: string;
  instance: string | null;
  displayName: string;
  application: GraphApplication;
  permissions: PlannedPermission[];
  delegatedGrants: { resourceAppId: string; scope: string }[];
  appRoleAssignments: { resourceAppId: string; appRoleId: string; value: string }[];
  grantAdminConsent: boolean;
  createSecret: boolean;
  secretLifetimeMonths: number;
}

export type WarningCode = "erratum" | "broadPermission" | "optionalPermission" | "noCredential" | "noConsent";

export interface PlanWarning {
  code: WarningCode;
  message: string;
  component: string | null;
}

export interface Plan {
  profile: string;
  prefix: string;
  grantAdminConsent: boolean;
  applications: PlannedApp[];
  warnings: PlanWarning[];
}

export type ExportFormat = "manifest-json" | "az-cli" | "powershell" | "terraform" | "ids-csv";

/** IDs learned by a run; a run report can be passed as is. */
export interface RunResults {
  tenantId?: string | null;
  applications: { key: string; appId?: string | null; objectId?: string | null }[];
}

export type ErrorCode =
  | "unknownField" | "invalidInput" | "unknownComponent" | "duplicateComponent" | "noComponents"
  | "invalidInstanceLabel" | "duplicateInstance" | "tooManyInstances" | "singleInstanceComponent"
  | "invalidPrefix" | "nameTooLong" | "invalidRedirectUri" | "secretLifetimeOutOfRange" | "unknownPermission"
  | "invalidGuid" | "unknownKind" | "duplicatePermission" | "emptyComponent" | "invalidCatalog" | "unknownFormat";

/** What every function throws. */
export interface RegistrarError extends Error {
  code: ErrorCode;
  /** camelCase path of the offending field, e.g. "components[1].instances[0]". */
  field?: string;
}

export function catalog(): Catalog;
export function plan(request: PlanRequest, catalog?: Catalog | null): Plan;
export function exportPlan(plan: Plan, format: ExportFormat, results?: RunResults | null): string;
/** Validates a custom catalog (throws RegistrarError naming the field) and returns it normalised. */
export function loadCatalog(catalog: unknown): Catalog;
export function version(): string;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
export interface InitOutput {
  readonly memory: WebAssembly.Memory;
}
export type SyncInitInput = BufferSource | WebAssembly.Module;
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;
/** Loads the Wasm; call once before anything else. */
export default function init(
  module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<InitOutput>;
