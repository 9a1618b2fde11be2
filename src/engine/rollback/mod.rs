//! Rollback: undoes exactly what runs recorded in the journal — never touches an app that existed before beyond
//! what the tool itself added to it, and never trusts the journal blindly: it comes back from storage the caller
//! controls.
//!
//! - A journal written in another tenant than the token's is refused before anything is written (`undo.rs`).
//! - Every object is read first and deleted or changed only while it still is what the journal recorded: an
//!   application with the key and Application ID the run recorded, the service principal of that Application ID,
//!   a grant or app role assignment of that service principal (`target.rs`). Anything else is left alone and
//!   reported under `refused`, with why.
//! - An app the tool created is deleted, then deleted permanently from deleted items, so its uniqueName is free
//!   for a later registration; Entra removes its service principal, grants and role assignments with it. An app
//!   the admin adopted is never deleted, whatever else the journal says of it.
//! - On an app that existed: the service principal, grants and role assignments the tool created are deleted;
//!   scopes it added to an existing grant are removed from it; an app addressed by Application ID gets back the
//!   requiredResourceAccess it declared before. What cannot be undone (settings an upsert wrote onto an existing
//!   app) is listed under `kept`.
//!
//! The journal is validated first (`Journal::validated`): paths are built only from ids parsed as GUIDs (or
//! Graph's opaque ids for grants and assignments), each recorded with its kind.

mod target;
mod undo;

use serde::Serialize;

use super::http::{Caller, Response};
use super::job::{Action, Job};
use super::journal::{AppRecord, Journal};
use super::report::{Event, Stop, StopKind};
use super::settings::Settings;
use target::{Kind, Target};
use undo::{Intent, Undo};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rollback {
    /// What was deleted (or confirmed gone), e.g. `application lucs-cr-2 (deleted permanently, …)`.
    pub deleted: Vec<String>,
    /// What could not be undone, with Graph's reason; a key still held by a deleted app that could not be purged.
    pub failed: Vec<String>,
    /// Left alone because it existed before the tool touched it or was adopted, and what of the run's changes
    /// stays on it.
    pub kept: Vec<String>,
    /// Changes undone on objects that existed before (scopes removed from a grant, permissions restored).
    pub changed: Vec<String>,
    /// Left alone because Graph's object is not what the journal recorded, and why.
    pub refused: Vec<String>,
}

/// The rollback job. It wraps the batched steps (`Undo`) only to know the time of each poll, which a purge
/// retried after replication waits from.
pub struct RollbackJob {
    undo: Undo,
}

impl RollbackJob {
    pub fn new(journal: &Journal) -> RollbackJob {
        RollbackJob::with_settings(journal, &Settings::default())
    }

    /// As `new`, with the attempt limit per chain, the replication budget and the backoff seed of `settings`.
    pub fn with_settings(journal: &Journal, settings: &Settings) -> RollbackJob {
        let journal = match journal.clone().validated() {
            Ok(j) => j,
            Err(e) => {
                let mut undo = Undo::new(None, settings);
                let message = format!("the journal is not valid, nothing was deleted: {}", e.message);
                undo.refused = Some(Stop::new(StopKind::Failed, None, message));
                return RollbackJob { undo };
            }
        };
        let mut undo = Undo::new(journal.tenant_id.clone(), settings);
        for app in &journal.apps {
            let k = &app.key;
            if app.adopted {
                // Adopted after the admin saw its owners and credentials: written to, never deleted — whatever
                // `existed` says.
                existing(&mut undo, &journal, app, "adopted: this tool writes to it but never deletes it");
                continue;
            }
            match (app.existed, &app.object_id) {
                (Some(false), Some(id)) => {
                    let kind = Kind::CreatedApp { app_id: app.app_id.clone() };
                    let target = Target { key: k.clone(), id: id.clone(), kind };
                    undo.read(target, Intent::Delete, format!("application {k}"));
                }
                (Some(false), None) | (None, _) => {}
                (Some(true), _) => existing(&mut undo, &journal, app, "existed before"),
            }
        }
        RollbackJob { undo }
    }
}

/// An app that existed (or was adopted): what the tool added to it is undone, the app itself stays.
fn existing(undo: &mut Undo, journal: &Journal, app: &AppRecord, label: &str) {
    let k = &app.key;
    let app_id = app.app_id.clone();
    match (&app.declared_access, &app.object_id) {
        (Some(declared), Some(id)) if app.app_done => {
            let target = Target { key: k.clone(), id: id.clone(), kind: Kind::ExistingApp { app_id: app_id.clone() } };
            let what = format!("the permissions application {k} declared before");
            undo.read(target, Intent::Restore(declared.clone()), what);
            undo.out.kept.push(format!("application {k} ({label})"));
        }
        _ if app.app_done => undo
            .out
            .kept
            .push(format!("application {k} ({label}; the name and settings this tool wrote to it stay as they are)")),
        _ => undo.out.kept.push(format!("application {k} ({label})")),
    }
    let Some(sp) = &app.service_principal_id else { return };
    let target = |id: &str, kind| Target { key: k.clone(), id: id.to_string(), kind };
    if app.service_principal_created {
        let sp_target = target(sp, Kind::ServicePrincipal { app_id });
        return undo.read(sp_target, Intent::Delete, format!("service principal of {k}"));
    }
    for g in &app.grants {
        let resource_id = journal.resource_sp(&g.resource_app_id).map(str::to_string);
        let grant = target(&g.id, Kind::Grant { client_id: sp.clone(), resource_id });
        if g.created {
            undo.read(grant, Intent::Delete, format!("delegated grant of {k}"));
        } else if !g.added_scopes.is_empty() {
            let what = format!("scopes {} added to the delegated grant of {k}", g.added_scopes.join(" "));
            undo.read(grant, Intent::RemoveScopes(g.added_scopes.clone()), what);
        }
    }
    for a in app.assignments.iter().filter(|a| a.created) {
        let kind = Kind::Assignment { principal_id: sp.clone(), app_role_id: a.app_role_id.clone() };
        undo.read(target(&a.id, kind), Intent::Delete, format!("app role {} of {k}", a.app_role_id));
    }
}

/// Every call is forwarded to the batched steps; `poll` and `on_response` note the time first.
impl Job for RollbackJob {
    type Output = Rollback;

    fn poll(&mut self, now: u64) -> Action<Rollback> {
        self.undo.now = now;
        Job::poll(&mut self.undo, now)
    }

    fn on_response(&mut self, response: Response, now: u64) {
        self.undo.now = now;
        Job::on_response(&mut self.undo, response, now);
    }

    fn token_refreshed(&mut self) {
        Job::token_refreshed(&mut self.undo);
    }

    fn drain_events(&mut self) -> Vec<Event> {
        Job::drain_events(&mut self.undo)
    }

    fn journal(&self) -> Option<Journal> {
        Job::journal(&self.undo)
    }

    fn caller(&mut self, caller: &Caller) {
        Job::caller(&mut self.undo, caller);
    }
}
