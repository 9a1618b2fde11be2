//! Rollback: undoes exactly what runs recorded in the journal — never touches an app that existed before beyond
//! what the tool itself added to it.
//!
//! - An app the tool created is deleted, then deleted permanently from deleted items: `DELETE
//!   /applications/{id}` only soft-deletes, and the app's uniqueName stays reserved for 30 days, so a later
//!   registration would fail (application-delete; directory-deleteditems-delete; msgraph-bicep-types#137). Entra
//!   removes its service principal, grants and role assignments with it.
//! - On an app that existed: the service principal, grants and role assignments the tool created are deleted;
//!   scopes it added to an existing grant are removed from it; an app addressed by Application ID gets back the
//!   requiredResourceAccess it declared before. What cannot be undone (settings an upsert wrote onto an existing
//!   app) is listed under `kept`.
//! - A 404 is not taken as "deleted" (it may be replication): the object is read back, and deleted again while
//!   it is still there.
//!
//! The journal is validated first (`Journal::validated`): paths are built only from ids parsed as GUIDs (or
//! Graph's opaque ids for grants and assignments), each recorded with its kind.

use serde::Serialize;
use serde_json::json;

use super::batcher::{BatchJob, Batcher, Call, Pending};
use super::http::{error_of, ItemResponse, Method};
use super::journal::Journal;
use super::report::{Stop, StopKind};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rollback {
    /// What was deleted (or confirmed gone), e.g. `application lucs-cr-2 (deleted permanently)`.
    pub deleted: Vec<String>,
    /// What could not be undone, with Graph's reason.
    pub failed: Vec<String>,
    /// Left alone because it existed before the tool touched it, and what of the run's changes stays on it.
    pub kept: Vec<String>,
    /// Changes undone on objects that existed before (scopes removed from a grant, permissions restored).
    pub changed: Vec<String>,
}

#[derive(Debug, Clone)]
enum Step {
    /// DELETE `url`; on success, `then` (the permanent delete of an application).
    Delete { url: String, read_back: String, then: Option<String> },
    /// GET `read_back` after a 404: still there → delete again; gone → done.
    ReadBack { url: String, read_back: String, then: Option<String> },
    /// DELETE /directory/deletedItems/{id}.
    Purge { url: String },
    /// GET the grant, then PATCH it without these scopes.
    ReadGrant { id: String, added: Vec<String> },
    /// A PATCH undoing an edit; what to report once done.
    Patch(String),
}

pub struct RollbackJob {
    batch: Batcher<Call>,
    asks: Vec<(u32, Step, String)>,
    out: Rollback,
    refused: Option<Stop>,
}

impl RollbackJob {
    pub fn new(journal: &Journal) -> RollbackJob {
        let mut job = RollbackJob { batch: Batcher::default(), asks: vec![], out: Rollback::default(), refused: None };
        let journal = match journal.clone().validated() {
            Ok(j) => j,
            Err(e) => {
                let message = format!("the journal is not valid, nothing was deleted: {}", e.message);
                job.refused = Some(Stop::new(StopKind::Failed, None, message));
                return job;
            }
        };
        for app in &journal.apps {
            let k = &app.key;
            match (app.existed, &app.object_id) {
                (Some(false), Some(id)) => {
                    let step = Step::Delete {
                        url: format!("/applications/{id}"),
                        read_back: format!("/applications/{id}?$select=id"),
                        then: Some(format!("/directory/deletedItems/{id}")),
                    };
                    job.go(step, format!("application {k}"), None);
                }
                (Some(false), None) | (None, _) => {}
                (Some(true), object_id) => job.existing(app, object_id.as_deref()),
            }
        }
        job
    }

    fn existing(&mut self, app: &super::journal::AppRecord, object_id: Option<&str>) {
        let k = &app.key;
        match (&app.declared_access, object_id) {
            (Some(declared), Some(id)) if app.app_done => {
                let body = json!({ "requiredResourceAccess": declared });
                let ask = self.batch.add(Method::Patch, format!("/applications/{id}"), Some(body));
                let what = format!("the permissions application {k} declared before");
                self.asks.push((ask, Step::Patch(format!("restored {what}")), what));
                self.out.kept.push(format!("application {k} (existed before)"));
            }
            _ if app.app_done => self.out.kept.push(format!(
                "application {k} (existed before; the name and settings this tool wrote to it stay as they are)"
            )),
            _ => self.out.kept.push(format!("application {k} (existed before)")),
        }
        let Some(sp) = &app.service_principal_id else { return };
        if app.service_principal_created {
            let step = Step::Delete {
                url: format!("/servicePrincipals/{sp}"),
                read_back: format!("/servicePrincipals/{sp}?$select=id"),
                then: None,
            };
            return self.go(step, format!("service principal of {k}"), None);
        }
        for g in &app.grants {
            if g.created {
                let step = Step::Delete {
                    url: format!("/oauth2PermissionGrants/{}", g.id),
                    read_back: format!("/oauth2PermissionGrants/{}", g.id),
                    then: None,
                };
                self.go(step, format!("delegated grant of {k}"), None);
            } else if !g.added_scopes.is_empty() {
                let step = Step::ReadGrant { id: g.id.clone(), added: g.added_scopes.clone() };
                self.go(step, format!("scopes {} added to the delegated grant of {k}", g.added_scopes.join(" ")), None);
            }
        }
        for a in app.assignments.iter().filter(|a| a.created) {
            let url = format!("/servicePrincipals/{sp}/appRoleAssignments/{}", a.id);
            let step = Step::Delete { read_back: url.clone(), url, then: None };
            self.go(step, format!("app role {} of {k}", a.app_role_id), None);
        }
    }

    /// Queues `step`; after `parent`, as the next step of its chain (a delete, its read-back, the delete again …),
    /// which the batcher bounds: an object still there when the chain has spent its attempts is reported.
    fn go(&mut self, step: Step, what: String, parent: Option<&Pending<Call>>) {
        let call = match &step {
            Step::Delete { url, .. } | Step::Purge { url } => {
                Call { method: Method::Delete, url: url.clone(), body: None }
            }
            Step::ReadBack { read_back, .. } => Call { method: Method::Get, url: read_back.clone(), body: None },
            Step::ReadGrant { id, .. } => {
                Call { method: Method::Get, url: format!("/oauth2PermissionGrants/{id}"), body: None }
            }
            Step::Patch(_) => return,
        };
        self.send(call, step, what, parent);
    }

    fn send(&mut self, call: Call, step: Step, what: String, parent: Option<&Pending<Call>>) {
        let id = match parent {
            None => self.batch.push(call, 0),
            Some(parent) => match self.batch.follow(parent, call, 0) {
                Some(id) => id,
                None => {
                    let tries = self.batch.max_attempts();
                    return self
                        .out
                        .failed
                        .push(format!("{what}: still present after {tries} requests; run rollback again"));
                }
            },
        };
        self.asks.push((id, step, what));
    }

    fn fail(&mut self, what: &str, r: &ItemResponse) {
        let (code, message) = error_of(&r.body);
        self.out.failed.push(format!("{what}: HTTP {} {code}: {message}", r.status));
    }
}

impl BatchJob for RollbackJob {
    type Output = Rollback;

    fn batcher(&mut self) -> &mut Batcher<Call> {
        &mut self.batch
    }

    fn refused(&mut self) -> Option<Stop> {
        self.refused.clone()
    }

    fn caller(&mut self, _caller: &super::Caller) {}

    fn read(&mut self, replies: Vec<(Pending<Call>, ItemResponse)>) -> Result<(), Stop> {
        for (p, r) in replies {
            let Some(pos) = self.asks.iter().position(|(a, ..)| *a == p.id) else { continue };
            let (_, step, what) = self.asks.remove(pos);
            let after = Some(&p);
            let ok = (200..300).contains(&r.status);
            match step {
                Step::Delete { then: Some(purge), .. } if ok => self.go(Step::Purge { url: purge }, what, after),
                Step::Delete { .. } if ok => self.out.deleted.push(what),
                Step::Delete { url, read_back, then } if r.status == 404 => {
                    self.go(Step::ReadBack { url, read_back, then }, what, after);
                }
                Step::ReadBack { then: Some(purge), .. } if r.status == 404 => {
                    // Gone from the live directory; it may still sit in deleted items.
                    self.go(Step::Purge { url: purge }, what, after);
                }
                Step::ReadBack { .. } if r.status == 404 => self.out.deleted.push(format!("{what} (already gone)")),
                Step::ReadBack { url, read_back, then } if ok => {
                    // Still there: the 404 was replication. Delete it again.
                    self.go(Step::Delete { url, read_back, then }, what, after);
                }
                Step::Purge { .. } if ok || r.status == 404 => {
                    self.out.deleted.push(format!("{what} (deleted permanently, so its unique name is free again)"));
                }
                Step::ReadGrant { id, added } if ok => {
                    let current = r.body["scope"].as_str().unwrap_or("");
                    let kept: Vec<&str> =
                        current.split_whitespace().filter(|s| !added.iter().any(|a| a == s)).collect();
                    if kept.is_empty() {
                        let step = Step::Delete {
                            url: format!("/oauth2PermissionGrants/{id}"),
                            read_back: format!("/oauth2PermissionGrants/{id}"),
                            then: None,
                        };
                        self.go(step, what, after);
                    } else {
                        let body = json!({ "scope": kept.join(" ") });
                        let call = Call {
                            method: Method::Patch,
                            url: format!("/oauth2PermissionGrants/{id}"),
                            body: Some(body),
                        };
                        self.send(call, Step::Patch(format!("removed {what}")), what, after);
                    }
                }
                Step::ReadGrant { .. } if r.status == 404 => self.out.deleted.push(format!("{what} (grant gone)")),
                Step::Patch(done) if ok => self.out.changed.push(done),
                _ => self.fail(&what, &r),
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Rollback {
        std::mem::take(&mut self.out)
    }
}
