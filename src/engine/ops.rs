//! The engine's steps, which steps a stage starts with, and what each reply means for the journal (the requests
//! themselves are in `requests.rs`).

use serde_json::Value;

use super::http::{error_of, ItemResponse};
use super::journal::{AssignmentRecord, GrantRecord, Journal, ResourceRecord};
use super::report::{RemovedSecret, Secret, Stop, StopKind};
use super::requests::resource_sp;
use super::retry::{classify, Verdict};
use super::Settings;
use crate::catalog::Kind;
use crate::plan::Plan;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// The tenant's id, when the caller did not give it.
    ReadTenant,
    /// Index into `Plan::resource_app_ids`.
    ReadResource(usize),
    ReadApp,
    UpsertApp,
    ReadAppIds,
    UpsertSp,
    ReadSp,
    /// Index into the app's `delegated_grants`.
    ReadGrant(usize),
    WriteGrant(usize),
    PatchGrant {
        grant: usize,
        id: String,
        scope: String,
        /// The scopes this adds to what the grant had.
        added: Vec<String>,
    },
    /// Index into the app's `app_role_assignments`.
    ReadAssignment(usize),
    /// A further page of the client's app role assignments (`@odata.nextLink`, made relative).
    ReadAssignmentPage(usize, String),
    Assign(usize),
    /// The app's passwordCredentials: secrets this tool made that nobody was shown are removed first.
    ReadPasswords,
    /// Key id of a secret to remove (`removePassword`).
    RemoveSecret(String),
    AddSecret,
    /// Soft-deleted applications (a page URL after the first), to find what holds the uniqueName.
    FindDeleted(Option<String>),
    RestoreDeleted(String),
    PurgeDeleted(String),
}

#[derive(Debug, Clone)]
pub struct Task {
    pub id: u32,
    pub op: Op,
    pub app: usize,
    pub attempt: u32,
    pub not_before: u64,
    pub first_failure: Option<u64>,
}

pub enum Outcome {
    Done { follow_up: Vec<Op>, secret: Option<Secret>, removed: Option<RemovedSecret> },
    Retry(Verdict),
    Stop(Stop),
}

pub(super) fn done(follow_up: Vec<Op>) -> Outcome {
    Outcome::Done { follow_up, secret: None, removed: None }
}

pub use super::refusal::{describe, forbidden};

pub use super::stages::tasks_for;

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// What a reply means. Not-found on a plain read is an answer, not an error.
pub fn apply(
    task: &Task,
    reply: &ItemResponse,
    plan: &Plan,
    journal: &mut Journal,
    settings: &Settings,
    now: u64,
) -> Outcome {
    let key = plan.applications.get(task.app).map(|a| a.key.clone());
    let targeted = plan.applications.get(task.app).and_then(|a| a.target_app_id.clone());
    let (_, message) = error_of(&reply.body);
    if reply.status == 404 {
        if let Op::ReadResource(r) = task.op {
            // Resources exist before a run (the Graph service principal is in every tenant): not replication.
            let res = plan.resource_app_ids()[r];
            return Outcome::Stop(Stop::new(
                StopKind::PermissionMismatch,
                None,
                format!("the API {res} has no service principal in this tenant, so its permissions cannot be granted; add it to the tenant or remove its permissions from the catalog. Nothing was written."),
            ));
        }
        // Grants and assignments on a fresh service principal, and secrets on a fresh app, see 404s of several
        // wordings while Entra replicates (graph.md §9b; terraform-azuread retries any 404 there).
        if matches!(task.op, Op::WriteGrant(_) | Op::Assign(_) | Op::AddSecret | Op::ReadSp | Op::ReadPasswords) {
            return Outcome::Retry(Verdict::Replication);
        }
    }
    if reply.status == 400 && task.op == Op::UpsertApp && message.contains("same value for property uniqueName") {
        // A soft-deleted app keeps its uniqueName for 30 days (msgraph-bicep-types#137).
        return done(vec![Op::FindDeleted(None)]);
    }
    if reply.status == 400 && matches!(task.op, Op::Assign(_)) && message.contains("already exists on the object") {
        // Graph's answer to a duplicate app role assignment (graph.md §9b): made by an attempt whose reply was lost.
        return done(vec![lookup_of(&task.op)]);
    }
    if let Some(out) = super::secrets::apply(task, reply, plan, journal, now) {
        return out;
    }
    if let Some(out) = super::deleted::apply(task, reply, plan, journal, settings) {
        return out;
    }
    if reply.status == 404 && task.op == Op::ReadApp {
        if let Some(target) = targeted {
            return Outcome::Stop(Stop::new(
                StopKind::Failed,
                key,
                format!("there is no application with Application (client) ID {target} in this tenant"),
            ));
        }
        let rec = app_mut(journal, plan, task.app);
        rec.existed = Some(false);
        return done(vec![]);
    }
    if reply.status == 409 && matches!(task.op, Op::WriteGrant(_) | Op::Assign(_)) {
        // Already there (made by an earlier attempt whose reply was lost): read it instead.
        return done(vec![lookup_of(&task.op)]);
    }
    match classify(reply, now) {
        Verdict::Ok => {}
        Verdict::Forbidden(message) => {
            return Outcome::Stop(forbidden(&task.op, key, &message, settings.token_scopes.as_deref()))
        }
        Verdict::Fail { status, code, message } => {
            if status == 404 && task.op == Op::ReadAppIds {
                return Outcome::Retry(Verdict::Replication);
            }
            if let Op::ReadResource(r) = task.op {
                let res = plan.resource_app_ids()[r];
                return Outcome::Stop(Stop::new(
                    StopKind::PermissionMismatch,
                    None,
                    format!(
                        "the resource {res} has no service principal in this tenant (HTTP {status} {code}: {message})"
                    ),
                ));
            }
            return Outcome::Stop(Stop::new(
                StopKind::Failed,
                key,
                format!("{} failed: HTTP {status} {code}: {message}", describe(&task.op)),
            ));
        }
        verdict => return Outcome::Retry(verdict),
    }
    let body = &reply.body;
    match &task.op {
        Op::ReadTenant => {
            journal.tenant_id = body["value"][0]["id"].as_str().map(str::to_string);
            done(vec![])
        }
        Op::ReadResource(r) => {
            let res = plan.resource_app_ids()[*r].to_string();
            if let Err(stop) = super::verify::permissions(plan, &res, body) {
                return Outcome::Stop(stop);
            }
            let sp = text(body, "id").unwrap_or_default();
            journal.resources.retain(|x| x.app_id != res);
            journal.resources.push(ResourceRecord { app_id: res, service_principal_id: sp });
            done(vec![])
        }
        Op::ReadApp | Op::ReadAppIds => {
            let rec = app_mut(journal, plan, task.app);
            if task.op == Op::ReadApp {
                rec.existed = Some(true);
            }
            rec.object_id = text(body, "id");
            rec.app_id = text(body, "appId");
            if targeted.is_some() {
                rec.declared_access = Some(body["requiredResourceAccess"].clone());
            }
            done(vec![])
        }
        Op::UpsertApp => {
            let rec = app_mut(journal, plan, task.app);
            rec.app_done = true;
            if reply.status == 201 {
                rec.object_id = text(body, "id");
                rec.app_id = text(body, "appId");
            }
            if rec.existed.is_none() {
                rec.existed = Some(reply.status != 201);
            }
            // 204 carries no body: the ids come from discovery, or are read now.
            let follow = if rec.object_id.is_none() || rec.app_id.is_none() { vec![Op::ReadAppIds] } else { vec![] };
            done(follow)
        }
        Op::UpsertSp | Op::ReadSp => {
            let rec = app_mut(journal, plan, task.app);
            if reply.status == 201 {
                rec.service_principal_created = true;
            } else if task.op == Op::UpsertSp && rec.existed == Some(false) && !rec.service_principal_created {
                // Our app, but its service principal already there: an earlier attempt made it.
                rec.service_principal_created = true;
                rec.needs_lookup = true;
            }
            match text(body, "id") {
                Some(id) => {
                    rec.service_principal_id = Some(id);
                    done(vec![])
                }
                None => done(vec![Op::ReadSp]),
            }
        }
        Op::ReadGrant(g) => {
            let grant = &plan.applications[task.app].delegated_grants[*g];
            let res = grant.resource_app_id.clone();
            let existing = body["value"].as_array().and_then(|v| v.first()).cloned();
            let Some(existing) = existing else {
                intend(journal, plan, task.app, format!("grant:{res}"));
                return done(vec![Op::WriteGrant(*g)]);
            };
            let id = text(&existing, "id").unwrap_or_default();
            let current = text(&existing, "scope").unwrap_or_default();
            let mut scopes: Vec<&str> = current.split_whitespace().collect();
            let missing: Vec<&str> = grant.scope.split(' ').filter(|s| !scopes.contains(s)).collect();
            let rec = app_mut(journal, plan, task.app);
            // Found after this tool set out to write it (its reply lost): it is ours, or holds scopes we added.
            let ours = rec.intents.iter().any(|i| *i == format!("grant:{res}"));
            let prefix = format!("scopes:{res}:");
            let mut added: Vec<String> = rec
                .intents
                .iter()
                .filter_map(|i| i.strip_prefix(&prefix))
                .flat_map(|s| s.split(' ').map(str::to_string))
                .collect();
            if missing.is_empty() {
                record_grant(journal, plan, task.app, &res, id, ours);
                if let Some(g) = app_mut(journal, plan, task.app).grants.iter_mut().find(|g| g.resource_app_id == res) {
                    g.added_scopes = if ours { vec![] } else { added };
                }
                return done(vec![]);
            }
            // Scopes granted by someone else stay; ours are added (and only ours are removed by rollback).
            added.extend(missing.iter().map(|s| s.to_string()));
            added.dedup();
            intend(journal, plan, task.app, format!("{prefix}{}", added.join(" ")));
            scopes.extend(missing);
            done(vec![Op::PatchGrant { grant: *g, id, scope: scopes.join(" "), added }])
        }
        Op::WriteGrant(g) => {
            let resource = plan.applications[task.app].delegated_grants[*g].resource_app_id.clone();
            record_grant(journal, plan, task.app, &resource, text(body, "id").unwrap_or_default(), true);
            done(vec![])
        }
        Op::PatchGrant { grant, id, added, .. } => {
            let resource = plan.applications[task.app].delegated_grants[*grant].resource_app_id.clone();
            let added = added.clone();
            record_grant(journal, plan, task.app, &resource, id.clone(), false);
            if let Some(g) = app_mut(journal, plan, task.app).grants.iter_mut().find(|g| g.resource_app_id == resource)
            {
                g.added_scopes = added;
            }
            done(vec![])
        }
        Op::ReadAssignment(k) | Op::ReadAssignmentPage(k, _) => {
            let role = &plan.applications[task.app].app_role_assignments[*k];
            let res_sp = resource_sp(journal, &role.resource_app_id).to_string();
            let found = body["value"].as_array().into_iter().flatten().find(|a| {
                a["appRoleId"].as_str() == Some(role.app_role_id.as_str()) && a["resourceId"].as_str() == Some(&res_sp)
            });
            let role_id = role.app_role_id.clone();
            match found.and_then(|a| text(a, "id")) {
                Some(id) => {
                    // Found after this tool set out to make it (its reply lost): it is ours to undo.
                    let ours = app_mut(journal, plan, task.app).intents.contains(&format!("role:{role_id}"));
                    record_assignment(journal, plan, task.app, &role_id, id, ours);
                    done(vec![])
                }
                // Not on this page: the next one, if any (Graph pages collections; user-list etc.).
                None => match body["@odata.nextLink"].as_str() {
                    Some(next) => done(vec![Op::ReadAssignmentPage(*k, super::batcher::relative(next))]),
                    None => {
                        intend(journal, plan, task.app, format!("role:{role_id}"));
                        done(vec![Op::Assign(*k)])
                    }
                },
            }
        }
        Op::Assign(k) => {
            let role_id = plan.applications[task.app].app_role_assignments[*k].app_role_id.clone();
            record_assignment(journal, plan, task.app, &role_id, text(body, "id").unwrap_or_default(), true);
            done(vec![])
        }
        _ => done(vec![]),
    }
}

fn lookup_of(op: &Op) -> Op {
    match op {
        Op::WriteGrant(g) => Op::ReadGrant(*g),
        Op::Assign(k) => Op::ReadAssignment(*k),
        Op::AddSecret => Op::ReadPasswords,
        other => other.clone(),
    }
}

/// A create whose reply never came (or was a server error) may have happened: look before trying again.
pub fn after_ambiguous(op: Op, status: u16, journal: &mut Journal, plan: &Plan, app: usize) -> Op {
    let ambiguous = matches!(status, 500 | 502 | 503 | 504);
    if ambiguous && matches!(op, Op::WriteGrant(_) | Op::Assign(_) | Op::AddSecret) {
        app_mut(journal, plan, app).needs_lookup = true;
        return lookup_of(&op);
    }
    op
}

pub(super) fn app_mut<'a>(journal: &'a mut Journal, plan: &Plan, app: usize) -> &'a mut super::journal::AppRecord {
    let key = &plan.applications[app].key;
    let i = journal.apps.iter().position(|a| &a.key == key).unwrap_or_else(|| {
        journal.apps.push(super::journal::AppRecord { key: key.clone(), ..Default::default() });
        journal.apps.len() - 1
    });
    &mut journal.apps[i]
}

fn record_grant(journal: &mut Journal, plan: &Plan, app: usize, resource: &str, id: String, created: bool) {
    let rec = app_mut(journal, plan, app);
    rec.grants.retain(|g| g.resource_app_id != resource);
    rec.grants.push(GrantRecord { resource_app_id: resource.to_string(), id, created, added_scopes: vec![] });
    settle_consent(journal, plan, app);
}

fn record_assignment(journal: &mut Journal, plan: &Plan, app: usize, role: &str, id: String, created: bool) {
    let rec = app_mut(journal, plan, app);
    rec.assignments.retain(|a| a.app_role_id != role);
    rec.assignments.push(AssignmentRecord { app_role_id: role.to_string(), id, created });
    settle_consent(journal, plan, app);
}

fn settle_consent(journal: &mut Journal, plan: &Plan, app: usize) {
    let planned = &plan.applications[app];
    let rec = app_mut(journal, plan, app);
    let grants =
        planned.delegated_grants.iter().all(|g| rec.grants.iter().any(|x| x.resource_app_id == g.resource_app_id));
    let roles =
        planned.app_role_assignments.iter().all(|r| rec.assignments.iter().any(|x| x.app_role_id == r.app_role_id));
    if grants && roles {
        rec.consent_done = true;
        rec.needs_lookup = false;
        rec.intents.clear();
    }
}

/// Records, before the write is sent, that this tool is about to make something on a service principal it did
/// not create — so a lookup after a lost reply knows the object it finds is the tool's own.
fn intend(journal: &mut Journal, plan: &Plan, app: usize, intent: String) {
    let rec = app_mut(journal, plan, app);
    let kind = intent.rsplit_once(':').map(|(k, _)| k.to_string()).unwrap_or_default();
    if intent.starts_with("scopes:") {
        rec.intents.retain(|i| !i.starts_with(&format!("{kind}:")));
    }
    if !rec.intents.contains(&intent) {
        rec.intents.push(intent);
    }
}

pub(super) fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Delegated => "delegated",
        Kind::Application => "application",
    }
}
