//! What each reply means for the journal, and which step follows (the steps are in `task.rs`, their requests in
//! `requests.rs`, the secret and soft-delete steps' replies in `secrets.rs` and `deleted.rs`).

use serde_json::Value;

use super::consent;
use super::task::{app_mut, done, lookup_of, Op, Outcome, Task};
use crate::engine::http::{error_of, ItemResponse};
use crate::engine::journal::{Journal, ResourceRecord};
use crate::engine::report::{Stop, StopKind};
use crate::engine::retry::{classify, Verdict};
use crate::engine::settings::Settings;
use crate::microsoft::app_policy;
use crate::plan::Plan;

use super::refusal::{describe, forbidden};

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// What a reply means: Graph's special answers first, then the secret and soft-delete steps' own, then a refusal
/// or a retry, then what a success records. Not-found on a plain read is an answer, not an error.
pub fn apply(
    task: &Task,
    reply: &ItemResponse,
    plan: &Plan,
    journal: &mut Journal,
    settings: &Settings,
    now: u64,
) -> Outcome {
    // Graph's concurrency 409 asks to wait and retry, whatever the step — also where a 409 or a refusal would
    // otherwise mean a duplicate or a stop (retry.rs).
    if crate::engine::retry::concurrency(reply) {
        return Outcome::Retry(classify(reply, now));
    }
    if let Some(out) = super::upserts::apply(task, reply, plan, journal, now) {
        return out;
    }
    if let Some(out) = answer(task, reply, plan, journal) {
        return out;
    }
    if let Some(out) = super::secrets::apply(task, reply, plan, journal, now) {
        return out;
    }
    if let Some(out) = super::deleted::apply(task, reply, plan, journal, settings) {
        return out;
    }
    if let Some(out) = unsuccessful(task, reply, plan, settings, now) {
        return out;
    }
    succeeded(task, reply, plan, journal)
}

/// Replies whose status alone is not the story: not-found during replication or for an app to create, Graph's
/// duplicate answers (400 and 409) and a uniqueName held by a deleted app.
fn answer(task: &Task, reply: &ItemResponse, plan: &Plan, journal: &mut Journal) -> Option<Outcome> {
    let op = &task.work.op;
    let (_, message) = error_of(&reply.body);
    match (reply.status, op) {
        (404, Op::ReadResource(r)) => {
            // Resources exist before a run (the Graph service principal is in every tenant): not replication.
            let res = plan.resource_app_ids()[*r];
            Some(Outcome::Stop(Stop::new(
                StopKind::PermissionMismatch,
                None,
                format!("the API {res} has no service principal in this tenant, so its permissions cannot be granted; add it to the tenant or remove its permissions from the catalog. Nothing was written."),
            )))
        }
        // Grants and assignments on a fresh service principal, and secrets on a fresh app, see 404s of several
        // wordings while Entra replicates (microsoft/fhir-server Grant-ClientAppDelegatedPermissions.ps1;
        // terraform-azuread retries any 404 there).
        (404, Op::WriteGrant(_) | Op::Assign(_) | Op::AddSecret | Op::ReadSp | Op::ReadPasswords) => {
            Some(Outcome::Retry(Verdict::Replication))
        }
        (404, Op::ReadApp) => {
            let app = plan.applications.get(task.work.app)?;
            if let Some(target) = &app.target_app_id {
                let why = format!("there is no application with Application (client) ID {target} in this tenant");
                return Some(Outcome::Stop(Stop::new(StopKind::Failed, Some(app.key.clone()), why)));
            }
            app_mut(journal, plan, task.work.app).existed = Some(false);
            Some(done(vec![]))
        }
        // The create that got no reply did not happen (or is not visible yet): create it now.
        (404, Op::FindCreated) => Some(done(vec![Op::UpsertApp])),
        (404, Op::RecheckApp) => {
            let key = plan.applications.get(task.work.app)?.key.clone();
            let why = format!("another object holds the unique name '{key}', and it is neither a live nor a deleted application (a permanently deleted one can take a few minutes to free it)");
            Some(Outcome::Stop(Stop::new(StopKind::Failed, Some(key), why)))
        }
        // A soft-deleted app keeps its uniqueName for 30 days (msgraph-bicep-types#137).
        (400, Op::UpsertApp) if message.contains("same value for property uniqueName") => {
            Some(done(vec![Op::FindDeleted(None)]))
        }
        // Graph's answer to a duplicate app role assignment (a 400; microsoft/fhir-server Set-FhirServerClientAppRoleAssignments.ps1), and a duplicate grant's 409: made by
        // an attempt whose reply was lost. Read it instead.
        (400, Op::Assign(_)) if message.contains("already exists on the object") => Some(done(vec![lookup_of(op)])),
        (409, Op::WriteGrant(_) | Op::Assign(_)) => Some(done(vec![lookup_of(op)])),
        // Some tenants answer an existing grant with 400 "Permission entry already exists." instead of the 409
        // (microsoft/fhir-server Grant-ClientAppDelegatedPermissions.ps1 handles both).
        (400, Op::WriteGrant(_)) if message.contains("Permission entry already exists") => {
            Some(done(vec![lookup_of(op)]))
        }
        _ => None,
    }
}

/// Anything but success: a refusal or a failure stops the run, naming the step; the rest is retried.
fn unsuccessful(task: &Task, reply: &ItemResponse, plan: &Plan, settings: &Settings, now: u64) -> Option<Outcome> {
    let op = &task.work.op;
    let key = plan.applications.get(task.work.app).map(|a| a.key.clone());
    match classify(reply, now) {
        Verdict::Ok => None,
        Verdict::Forbidden(message) => {
            let app = plan.applications.get(task.work.app);
            Some(Outcome::Stop(forbidden(op, app, key, &message, settings.token_scopes.as_deref())))
        }
        Verdict::Fail { status: 404, .. } if *op == Op::ReadAppIds => Some(Outcome::Retry(Verdict::Replication)),
        Verdict::Fail { status, code, message } => Some(Outcome::Stop(match op {
            Op::ReadResource(r) => Stop::new(
                StopKind::PermissionMismatch,
                None,
                format!(
                    "the resource {} has no service principal in this tenant (HTTP {status} {code}: {message})",
                    plan.resource_app_ids()[*r]
                ),
            ),
            Op::AddSecret if app_policy::refusal(&code, &message, None).is_some() => {
                let why = app_policy::refusal(&code, &message, None).unwrap_or_default();
                Stop::new(StopKind::PolicyRefused, key, format!("{}: {why} (HTTP {status} {code})", describe(op)))
            }
            _ => Stop::new(StopKind::Failed, key, format!("{} failed: HTTP {status} {code}: {message}", describe(op))),
        })),
        verdict => Some(Outcome::Retry(verdict)),
    }
}

/// What a successful reply records, and which step follows.
fn succeeded(task: &Task, reply: &ItemResponse, plan: &Plan, journal: &mut Journal) -> Outcome {
    let (body, app) = (&reply.body, task.work.app);
    match &task.work.op {
        Op::ReadTenant => {
            journal.tenant_id = body["value"][0]["id"].as_str().map(str::to_string);
            done(vec![])
        }
        Op::ReadResource(r) => {
            let res = plan.resource_app_ids()[*r].to_string();
            if let Err(stop) = super::permission_check::permissions(plan, &res, body) {
                return Outcome::Stop(stop);
            }
            let sp = text(body, "id").unwrap_or_default();
            journal.resources.retain(|x| x.app_id != res);
            journal.resources.push(ResourceRecord { app_id: res, service_principal_id: sp });
            done(vec![])
        }
        Op::ReadApp | Op::ReadAppIds | Op::RecheckApp | Op::FindCreated => {
            let targeted = plan.applications.get(app).is_some_and(|a| a.target_app_id.is_some());
            let rec = app_mut(journal, plan, app);
            // After a refused create, whether the app is the run's own lost create or someone else's was decided
            // when it was vetted (`Engine::vet`).
            if task.work.op == Op::ReadApp {
                rec.existed = Some(true);
            }
            rec.object_id = text(body, "id");
            rec.app_id = text(body, "appId");
            // What it declared before the tool first touched it: a resumed run re-reads the app (its owners may have
            // changed), but what rollback restores stays the first reading.
            if targeted && rec.declared_access.is_none() {
                rec.declared_access = Some(body["requiredResourceAccess"].clone());
            }
            // An app that existed may have its service principal already; rollback keeps only one that was there.
            let found_sp = task.work.op == Op::ReadApp && rec.service_principal_id.is_none() && rec.app_id.is_some();
            match task.work.op {
                _ if found_sp => done(vec![Op::FindSp { create: false }]),
                // Vetted as the tool's own or adopted (a foreign one has stopped the run): now it is updated.
                Op::RecheckApp => done(vec![Op::UpsertApp]),
                // The create happened, with the planned body, if the app is the run's own; else it was vetted as
                // adopted and is updated.
                Op::FindCreated if rec.existed != Some(true) => {
                    rec.app_done = true;
                    done(vec![])
                }
                Op::FindCreated => done(vec![Op::UpsertApp]),
                _ => done(vec![]),
            }
        }
        Op::UpsertApp => upserted_app(reply, plan, journal, app),
        Op::UpsertSp | Op::ReadSp => super::upserts::service_principal(task, reply, plan, journal),
        Op::ReadGrant(g) => consent::grant_read(journal, plan, app, *g, body),
        Op::WriteGrant(g) => {
            consent::grant_written(journal, plan, app, *g, text(body, "id").unwrap_or_default(), None);
            done(vec![])
        }
        Op::PatchGrant { grant, id, added, .. } => {
            consent::grant_written(journal, plan, app, *grant, id.clone(), Some(added.clone()));
            done(vec![])
        }
        Op::ReadAssignment(k) | Op::ReadAssignmentPage(k, _) => consent::assignment_read(journal, plan, app, *k, body),
        Op::Assign(k) => {
            consent::assigned(journal, plan, app, *k, text(body, "id").unwrap_or_default());
            done(vec![])
        }
        _ => done(vec![]),
    }
}

fn upserted_app(reply: &ItemResponse, plan: &Plan, journal: &mut Journal, app: usize) -> Outcome {
    let rec = app_mut(journal, plan, app);
    rec.app_done = true;
    if reply.status == 201 {
        rec.object_id = text(&reply.body, "id");
        rec.app_id = text(&reply.body, "appId");
    }
    if rec.existed.is_none() {
        rec.existed = Some(reply.status != 201);
    }
    // 204 carries no body: the ids come from discovery, or are read now.
    let follow = if rec.object_id.is_none() || rec.app_id.is_none() { vec![Op::ReadAppIds] } else { vec![] };
    done(follow)
}
