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
  /**
   * Apply this component to an app registered by hand, by its Application (client) ID (a GUID), instead of
   * registering one: one instance at most, not renamed, no secret (`createSecret: true` is refused).
   */
  targetAppId?: string;
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
  /** Apply onto an existing app (registered by hand) by its Application ID: only its permissions are extended. */
  targetAppId?: string;
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
  | "invalidGuid" | "unknownKind" | "duplicatePermission" | "emptyComponent" | "invalidCatalog" | "unknownFormat"
  | "invalidText" | "tooLarge";

/** What every function throws. */
export interface RegistrarError extends Error {
  code: ErrorCode;
  /** camelCase path of the offending field, e.g. "components[1].instances[0]". */
  field?: string;
}

/** Options shared by the functions that call Microsoft Graph. The token stays in JS: it is asked for per request. */
export interface GraphOptions {
  /** https://graph.microsoft.com/v1.0 (default), or a loopback sandbox; anything else is refused. */
  graphBaseUrl?: string;
  /** Resolves to a Graph access token; `forceRefresh` is true after Graph answered 401. */
  getToken: (request: { forceRefresh: boolean }) => Promise<string> | string;
  signal?: AbortSignal;
}

export type StageName = "discover" | "applications" | "servicePrincipals" | "consent" | "finished";

export type EventStatus = "started" | "done" | "retrying";

/** Why a retry waits: Entra replication, throttling/server errors/lost replies, or a fresh token. */
export type RetryReason = "replication" | "throttled" | "token";

export interface ProgressEvent {
  stage: StageName;
  /** The app's key, or null for the stage as a whole. */
  key: string | null;
  status: EventStatus;
  attempt: number;
  waitMs: number;
  reason: RetryReason | null;
}

export interface AppRecord {
  key: string;
  existed: boolean | null;
  objectId: string | null;
  appId: string | null;
  appDone: boolean;
  servicePrincipalId: string | null;
  servicePrincipalCreated: boolean;
  /** `addedScopes`: scopes this tool added to a grant that existed (rollback removes exactly these). */
  grants: { resourceAppId: string; id: string; created: boolean; addedScopes?: string[] }[];
  assignments: { appRoleId: string; id: string; created: boolean }[];
  consentDone: boolean;
  secretKeyId: string | null;
  /** The secret was handed to the caller (report or stop); one that was not is replaced on resume. */
  secretDelivered: boolean;
  needsLookup: boolean;
  /** Writes about to be made on a service principal that existed (so one found after a lost reply is ours). */
  intents?: string[];
  /** An app that existed and the admin adopted: written to, never deleted by rollback. */
  adopted?: boolean;
  /** For an app addressed by Application ID: the requiredResourceAccess it declared before, which rollback restores. */
  declaredAccess?: GraphApplication["requiredResourceAccess"];
}

/** Whose an app found under a planned key is: "foreign" apps get no write until adopted. */
export type Standing = "ours" | "foreign" | "adopted";

export type CredentialKind = "password" | "certificate";

export interface AppOwner {
  id: string;
  /** Null when the token may not read that kind of object. */
  displayName: string | null;
  userPrincipalName: string | null;
}

/** A credential as Graph lists it: never a secret's text. */
export interface AppCredential {
  kind: CredentialKind;
  keyId: string;
  displayName: string | null;
  hint: string | null;
  endDateTime: string | null;
  /** A kept journal of this tool recorded this key id. */
  madeByTool: boolean;
}

/** An app found under a planned key, with who made and owns it, and whose it is for this run. */
export interface ExistingApp {
  key: string;
  objectId: string;
  appId: string;
  displayName: string;
  createdDateTime: string | null;
  publisherDomain: string | null;
  owners: AppOwner[];
  credentials: AppCredential[];
  standing: Standing;
  /** Why it is not the tool's own (empty when it is). */
  reasons: string[];
}

/** Provenance inputs shared by `register` and `verify`. */
export interface ProvenanceOptions {
  /** Keys of existing apps the admin adopts after seeing their owners and credentials. */
  adopt?: string[];
  /** Kept journals of earlier runs: what this tool made, so the admin's own apps are not questioned. */
  journals?: Journal[];
}

/** What exists after each step; feed it back to resume, or to rollback. Never holds a secret or a token. */
export interface Journal {
  version: number;
  tenantId: string | null;
  resources: { appId: string; servicePrincipalId: string }[];
  apps: AppRecord[];
}

/**
 * What a check (`verify`) read that a registration of the same plan may start from instead of reading it again:
 * the APIs' permissions and the keys no application held. Register uses it only within a minute of the check, in
 * the same tenant, for a plan whose discovery asks exactly `requests` and none of whose apps existed, on a fresh
 * run; otherwise discovery runs as always. Pass it back as `verify` returned it.
 */
export interface Discovery {
  tenantId: string;
  /** When the check sent its first request, in ms since the epoch. */
  takenAt: number;
  requests: string[];
  replies: DiscoveryReply[];
}

export type DiscoveryReply =
  | { url: string; status: 200; body: unknown }
  | { url: string; status: 404; body: null };

export interface RegisterOptions extends GraphOptions, ProvenanceOptions {
  /** A check's `discovery`, so Register right after "Check" takes one Graph round trip less. */
  discovery?: Discovery | null;
  onProgress?: (event: ProgressEvent) => void;
  /** The journal after every Graph reply: persist it to resume after an interruption (no secrets in it). */
  onJournal?: (journal: Journal) => void;
  /** Resume from a stopped or interrupted run. */
  journal?: Journal | null;
  tenantId?: string;
  /** How long replication delays are retried per item (default 300000; 5 minutes is sometimes not enough). */
  replicationBudgetMs?: number;
  /**
   * When a soft-deleted application (in deleted items for 30 days) holds an app's uniqueName: "ask" (default)
   * stops with kind "softDeleted" explaining both choices; "restore" brings it back; "purge" deletes it permanently
   * and creates a new app.
   */
  softDeleted?: "ask" | "restore" | "purge";
}

export interface AppOutcome {
  key: string;
  component: string;
  instance: string | null;
  displayName: string;
  /** The Application (client) ID. */
  appId: string | null;
  objectId: string | null;
  servicePrincipalId: string | null;
  created: boolean;
  /** It existed, was not the tool's own, and the admin adopted it. */
  adopted: boolean;
  consentGranted: boolean;
}

/** Shown once: never stored by the registrar. */
export interface ClientSecret {
  key: string;
  keyId: string;
  secretText: string;
  endDateTime: string;
}

/** A secret this tool made that nobody was shown (lost reply, run cut off): removed again. */
export interface RemovedSecret {
  key: string;
  keyId: string;
}

export interface RunReport {
  tenantId: string | null;
  applications: AppOutcome[];
  secrets: ClientSecret[];
  removedSecrets: RemovedSecret[];
  roundTrips: number;
  retries: number;
  /** What the run did differently from its usual requests: the documented forms Graph had it fall back to. */
  warnings: string[];
  journal: Journal;
  /** Apps that existed under the plan's keys, with their owners and credentials and whose they are. */
  existing: ExistingApp[];
}

/**
 * "forbidden": a role is missing (or, when the token's scopes are unknown, a role or a scope — the message names
 * both); "insufficientScope": the token lacks a delegated permission (named); "softDeleted": a deleted app holds
 * the unique name (resume with `softDeleted: "restore" | "purge"`); "throttled": throttling, server errors or lost
 * replies went on past the attempt limit; "foreignApps": apps under the plan's keys are not provably the tool's own
 * (`foreign` lists them with owners and credentials) — nothing was written; resume with `adopt` to adopt them;
 * "policyRefused": the tenant's app management policy refused a new client secret (the message names the policy and
 * what it allows; nothing was added) — resume with a plan whose secret lifetime it allows.
 */
export type StopKind =
  | "permissionMismatch" | "forbidden" | "insufficientScope" | "softDeleted" | "replicationTimeout" | "throttled"
  | "failed" | "cancelled" | "foreignApps" | "policyRefused";

/** A run that stopped before finishing: resume with `journal`. The message ends saying how. */
export interface RunStoppedError extends Error {
  code: "runStopped";
  kind: StopKind;
  key: string | null;
  journal: Journal | null;
  /** Secrets made before the stop: show them now (the resumed run makes no new ones for these apps). */
  secrets: ClientSecret[] | null;
  removedSecrets: RemovedSecret[] | null;
  /** For "foreignApps": each app found under a planned key that is not the tool's own. */
  foreign: ExistingApp[] | null;
}

/** "create": not in the tenant; "change": differs from the plan. */
export type DriftStatus = "create" | "change" | "ok";

export type ConsentState = "granted" | "partial" | "missing" | "notRequested";

export interface AppDrift {
  key: string;
  displayName: string;
  status: DriftStatus;
  appId: string | null;
  objectId: string | null;
  displayNameDiffers: boolean;
  missingPermissions: string[];
  extraPermissions: string[];
  servicePrincipal: boolean;
  consent: ConsentState;
  missingScopes: string[];
  missingRoles: string[];
  /** For an app that exists: its owners, credentials and whose it is. */
  existing: ExistingApp | null;
}

export interface DriftReport {
  applications: AppDrift[];
  create: number;
  change: number;
  ok: number;
  /** Apps Register will not write to until adopted. */
  foreign: number;
  /** For `register`'s `discovery`; absent when the token did not name its tenant. */
  discovery?: Discovery;
}

/** "eligible": in Privileged Identity Management, not yet activated. */
export type RoleHeld = "active" | "eligible" | "none";

export interface PreflightReport {
  tenantId: string;
  tenantName: string;
  defaultDomain: string | null;
  verifiedDomains: string[];
  userPrincipalName: string;
  userDisplayName: string;
  /** Active roles, held directly or through a group (read from /me/transitiveMemberOf). */
  roles: string[];
  roleTemplateIds: string[];
  /** PIM-eligible roles not yet activated. */
  eligibleRoles: string[];
  /** The roles that matter, by roleTemplateId, and whether the user holds each. */
  roleTable: {
    roleTemplateId: string;
    name: string;
    createApps: boolean;
    grantDelegated: boolean;
    /** Consent to application permissions of Microsoft Graph and Azure AD Graph. */
    grantApplication: boolean;
    /** Consent to application permissions of other APIs. */
    grantOtherApplication: boolean;
    held: RoleHeld;
  }[];
  /** By a role, or because the tenant lets every member register applications. */
  canCreateApps: boolean;
  canGrantDelegated: boolean;
  /** Consent to application permissions of Microsoft Graph and Azure AD Graph. */
  canGrantApplication: boolean;
  /** Consent to application permissions of other APIs. */
  canGrantOtherApplication: boolean;
  /** The tenant's authorization policy: may every member register applications? null: the token could not read it. */
  membersCanCreateApps: boolean | null;
  /** The client secret lifetimes the tenant's default app management policy allows an app made now. */
  secretLifetimes: SecretLifetimes;
  /** What `plan` certainly cannot do now (incl. "activate it in PIM first"); disable Register while non-empty. */
  blockers: string[];
  /** What could not be checked or may fail; not blocking — Graph decides. */
  warnings: string[];
}

export interface RollbackReport {
  /** Deleted (apps: permanently, so their unique names are free again) or confirmed gone. */
  deleted: string[];
  /** What could not be undone, with Graph's reason; a key still held by a deleted app that could not be purged. */
  failed: string[];
  /** Existing or adopted apps left in place, and what of the run's changes stays on them. */
  kept: string[];
  /** Changes undone on objects that existed (scopes removed from a grant, declared permissions restored). */
  changed: string[];
  /** Left alone because the object in the tenant is not what the journal recorded, and why. */
  refused: string[];
}

/** Scopes a token lacks for one job: least privileged names from Microsoft's per-call permission tables. */
export interface ScopeCoverage {
  missingScopes: string[];
}

export interface TokenClaims {
  aud: string;
  tid: string | null;
  /** The signed-in user's object id. */
  oid: string | null;
  upn: string | null;
  /** The client app the token was issued to (`appid`, or `azp` in v2 tokens). */
  appid: string | null;
  scp: string[];
  exp: number | null;
  audienceIsGraph: boolean;
  expired: boolean;
  /** What `register` lacks (= jobs.register.missingScopes). */
  missingScopes: string[];
  jobs: {
    preflight: ScopeCoverage;
    verify: ScopeCoverage;
    register: ScopeCoverage;
    apply: ScopeCoverage;
    rollback: ScopeCoverage;
  };
}

export interface HealthOptions extends GraphOptions, ProvenanceOptions {
  /** When expiry is measured from (default: now). */
  now?: Date | number;
  /** A credential ending within this many days is "expiring" (1–365, default 30). */
  expiringWithinDays?: number;
}

export interface CredentialHealth {
  keyId: string;
  /** The first characters of a secret (Graph's `hint`); null for a certificate. */
  hint: string | null;
  displayName: string | null;
  endDateTime: string | null;
  state: "expired" | "expiring" | "ok" | "unknown";
  /** Whole days until it ends, negative once it ended; null when Graph gave no readable end date. */
  daysLeft: number | null;
}

export interface AppHealth {
  key: string;
  displayName: string;
  appId: string | null;
  objectId: string | null;
  found: boolean;
  /** False for an app carrying the LUCS tag that the plan no longer has. */
  inPlan: boolean;
  /** Whose it is by the provenance rule; null when not found. */
  standing: "ours" | "foreign" | "adopted" | null;
  servicePrincipal: boolean;
  permissions: { state: "asPlanned" | "drifted"; missing: string[]; extra: string[] };
  /** `extra`: granted tenant-wide but not planned (the portal's "Other permissions granted"). */
  consent: { state: "complete" | "partial" | "missing" | "notRequested"; missing: string[]; extra: string[] };
  secrets: CredentialHealth[];
  certificates: CredentialHealth[];
  owners: { id: string; displayName: string | null }[];
}

export interface HealthReport {
  tenantId: string | null;
  /** When the check was made, `YYYY-MM-DDTHH:MM:SSZ`. */
  checkedAt: string;
  expiringWithinDays: number;
  roundTrips: number;
  applications: AppHealth[];
  /** Whether apps carrying the LUCS tag could be listed; `taggedNote` says why not. */
  taggedListed: boolean;
  taggedNote: string | null;
  /** Apps with anything to act on: not found, not in the plan, drifted, consent incomplete or extra, a credential
   * expired or expiring. */
  attention: number;
}

/** What an app management policy allows a new client secret (Policy.Read.All to read). */
export interface SecretRules {
  /** All zeros: the tenant default; else the policy applied to the app. */
  policyId: string;
  policyName: string | null;
  secretsBlocked: boolean;
  maxLifetimeSeconds: number | null;
  /** ISO 8601 duration, e.g. "P180D". */
  maxLifetime: string | null;
}

export interface SecretLifetimes {
  /** False without Policy.Read.All (`policyNote` says so): every preset is offered and Graph's refusal guards. */
  policyReadable: boolean;
  policyNote: string | null;
  rules: SecretRules | null;
  /** Months a new secret may have (of 3, 6, 12, 18, 24); empty when the policy blocks secrets. */
  offeredMonths: number[];
}

export interface SecretPolicy {
  key: string;
  appId: string;
  objectId: string;
  standing: "ours" | "foreign" | "adopted" | null;
  secrets: CredentialHealth[];
  policyReadable: boolean;
  policyNote: string | null;
  rules: SecretRules | null;
  /** Lifetimes in months a new secret may have (of 3, 6, 12, 18, 24); empty when secrets are blocked. */
  offeredMonths: number[];
}

export interface RenewOptions extends GraphOptions, ProvenanceOptions {
  /** The new secret's lifetime, 1–24 months (offer `SecretPolicy.offeredMonths`). */
  lifetimeMonths: number;
  now?: Date | number;
}

export interface Renewal {
  key: string;
  appId: string;
  objectId: string;
  /** Shown once: store it, switch LUCS to it, then retire the old one. */
  secret: ClientSecret;
  /** The secrets the app had, all still valid. */
  kept: CredentialHealth[];
  /** Copies a lost reply made, removed (their text was never seen). */
  removedDuplicates: string[];
  /** Keep it with the run journals: it makes the new secret this tool's own. */
  journal: Journal;
}

/** When one credential last signed in (the beta report appCredentialSignInActivities). */
export interface KeyActivity {
  appId: string;
  keyId: string;
  /** "clientSecret" or "certificate". */
  keyType: string | null;
  /** "application" or "servicePrincipal". */
  credentialOrigin: string | null;
  expirationDateTime: string | null;
  /** Absent: no sign-in with this key in the report. */
  lastSignInDateTime: string | null;
}

export interface CredentialActivity {
  /** False when the report could not be read (`note` says why: a missing scope, a role, the tenant). */
  readable: boolean;
  note: string | null;
  /** The least scopes the session lacks for the report, when that is why it is unreadable. */
  missingScopes: string[];
  /** Graph's HTTP status when Graph refused it. */
  status: number | null;
  /** Refused because the tenant has no Microsoft Entra ID P1 or P2 licence, which sign-in reports need. */
  licenseRequired: boolean;
  /** Keys with a recorded sign-in; a key not listed has none. */
  keys: KeyActivity[];
  roundTrips: number;
}

export interface RetiredSecret {
  key: string;
  keyId: string;
  remaining: number;
}

/** Where an extra was found: declared in the registration, or granted tenant-wide. */
export type ExtraSource = "declared" | "granted";
/** Why a drifted app gets no fix. */
export type SkipReason = "foreign" | "notFound" | "notInPlan";

export interface DriftExtra {
  source: ExtraSource;
  /** The name the health check gave it (`Sites.Read.All`, or resource/id and type where the plan does not know it). */
  name: string;
}

/** What a fix changes on one app, by Graph's names. */
export interface DriftChanges {
  key: string;
  displayName: string;
  /** Planned permissions added back to the registration. */
  addPermissions: string[];
  /** Delegated scopes granted tenant-wide again. */
  grantScopes: string[];
  /** Application permissions (app roles) assigned again. */
  grantRoles: string[];
  /** Found beyond the plan: each stays unless ticked in `removeExtras`. */
  extras: DriftExtra[];
}

export interface DriftSkipped {
  key: string;
  displayName: string;
  reason: SkipReason;
  detail?: string;
}

export interface DriftFixPreview {
  applications: DriftChanges[];
  skipped: DriftSkipped[];
}

export interface FixDriftOptions extends GraphOptions, ProvenanceOptions {
  /** Extras the admin ticked for removal; each must be one the preview lists. */
  removeExtras?: { key: string; source: ExtraSource; name: string }[];
  /** The journal of a fix that stopped (RunStoppedError.journal, or the last `onJournal`): resumes it. */
  journal?: Journal | null;
  replicationBudgetMs?: number;
}

export interface DriftExtraDone extends DriftExtra {
  key: string;
}

export interface FixedDrift {
  /** The changes re-applied, per app the fix reached. */
  applications: DriftChanges[];
  removed: DriftExtraDone[];
  /** Ticked, but the tenant no longer held them. */
  alreadyGone: DriftExtraDone[];
  /** Found and left as they were. */
  kept: DriftExtraDone[];
  skipped: DriftSkipped[];
  /** The registration engine's report for the apps it re-applied (no secrets: none is added); null if none. */
  run: RunReport | null;
  roundTrips: number;
}

export function catalog(): Catalog;
/** A custom `catalog` needs the planner page's Wasm; the extension's refuses one (`invalidInput`, field `catalog`). */
export function plan(request: PlanRequest, catalog?: Catalog | null): Plan;
export function exportPlan(plan: Plan, format: ExportFormat, results?: RunResults | null): string;
/** Validates a custom catalog (throws RegistrarError naming the field) and returns it normalised. At most 1 MiB of
 * JSON, 200 components, 100 permissions and 20 errata per component (`tooLarge` otherwise). The extension's Wasm
 * plans the built-in catalog only and refuses this (`invalidInput`, field `catalog`). */
export function loadCatalog(catalog: unknown): Catalog;
export function version(): string;
/** Rejects with RunStoppedError when the run stops (resumable) or RegistrarError for bad input. */
export function register(plan: Plan, options: RegisterOptions): Promise<RunReport>;
export function verify(plan: Plan, options: GraphOptions & ProvenanceOptions): Promise<DriftReport>;
export function preflight(options: GraphOptions & { plan?: Plan | null }): Promise<PreflightReport>;
/** Read-only health of the installation `plan` describes; two round trips for the 10-app set. */
export function health(plan: Plan, options: HealthOptions): Promise<HealthReport>;
/** Read-only: app `key`'s secrets and the lifetimes the tenant's app management policies allow a new one. */
export function secretPolicy(plan: Plan, key: string, options: GraphOptions & ProvenanceOptions & { now?: Date | number }): Promise<SecretPolicy>;
/** Adds a new secret to app `key` beside the old ones. Rejects with RunStoppedError ("foreignApps",
 * "policyRefused", "failed") without adding anything. */
export function renewSecret(plan: Plan, key: string, options: RenewOptions): Promise<Renewal>;
/** Removes secret `keyId` from app `key`: the second step of a renewal, never the app's last secret. */
export function retireSecret(plan: Plan, key: string, keyId: string, options: GraphOptions & ProvenanceOptions): Promise<RetiredSecret>;
/** What fixing the drift `health` found would change; pure. */
export function driftFixPreview(plan: Plan, health: HealthReport): DriftFixPreview;
/** Removes the ticked extras, then re-applies the plan to the drifted apps through the registration engine. Rejects
 * with RunStoppedError (its journal resumes) or RegistrarError for bad input. */
export function fixDrift(plan: Plan, health: HealthReport, options: FixDriftOptions): Promise<FixedDrift>;
/** Read-only: when each credential of these apps (1–20 Application IDs) last signed in; one round trip per app to
 * Graph's beta report. Needs AuditLog.Read.All; unreadable is a result (`readable: false`), not a rejection. */
export function credentialActivity(appIds: string[], options: GraphOptions): Promise<CredentialActivity>;
export function rollback(journal: Journal, options: GraphOptions & { replicationBudgetMs?: number }): Promise<RollbackReport>;
/** The delegated Microsoft Graph scopes (without the resource prefix) a sign-in asks for: the least that cover
 * every write the extension makes, from Microsoft's per-call permission tables. */
export function signInScopes(): string[];
/** The claims of an access token, without verifying its signature (Graph does that). */
export function decodeToken(jwt: string): TokenClaims;

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
