//! Rollback: deletes exactly what runs recorded as created in the journal — never an app that existed before.
//! An app made by the tool is deleted whole (Entra removes its service principal, grants and assignments with
//! it, and keeps it restorable for 30 days); on an app that existed, only the service principal, grants and
//! role assignments the tool added are removed.

use serde::Serialize;

use super::batcher::{BatchJob, Batcher};
use super::http::ItemResponse;
use super::journal::Journal;
use super::report::Stop;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rollback {
    /// What was deleted (or already gone), e.g. `application lucs-cr-2`.
    pub deleted: Vec<String>,
    /// What could not be deleted, with Graph's reason.
    pub failed: Vec<String>,
    /// Left alone because it existed before the tool touched it.
    pub kept: Vec<String>,
}

pub struct RollbackJob {
    batch: Batcher,
    asks: Vec<(String, String)>,
    out: Rollback,
}

impl RollbackJob {
    pub fn new(journal: &Journal) -> RollbackJob {
        let mut job = RollbackJob { batch: Batcher::default(), asks: vec![], out: Rollback::default() };
        for app in &journal.apps {
            let k = &app.key;
            match (app.existed, &app.object_id) {
                (Some(false), Some(id)) => job.delete(format!("/applications/{id}"), format!("application {k}")),
                (Some(false), None) | (None, _) => {}
                (Some(true), _) => {
                    job.out.kept.push(format!("application {k}"));
                    let Some(sp) = &app.service_principal_id else { continue };
                    if app.service_principal_created {
                        job.delete(format!("/servicePrincipals/{sp}"), format!("service principal of {k}"));
                        continue;
                    }
                    for g in app.grants.iter().filter(|g| g.created) {
                        job.delete(format!("/oauth2PermissionGrants/{}", g.id), format!("delegated grant of {k}"));
                    }
                    for a in app.assignments.iter().filter(|a| a.created) {
                        job.delete(
                            format!("/servicePrincipals/{sp}/appRoleAssignments/{}", a.id),
                            format!("app role {} of {k}", a.app_role_id),
                        );
                    }
                }
            }
        }
        job
    }

    fn delete(&mut self, url: String, what: String) {
        let id = self.batch.add("DELETE", url, None);
        self.asks.push((id, what));
    }
}

impl BatchJob for RollbackJob {
    type Output = Rollback;

    fn batcher(&mut self) -> &mut Batcher {
        &mut self.batch
    }

    fn read(&mut self, replies: Vec<(String, ItemResponse)>) -> Result<(), Stop> {
        for (id, r) in replies {
            let what = self.asks.iter().find(|(a, _)| *a == id).map(|(_, w)| w.clone()).unwrap_or_default();
            if (200..300).contains(&r.status) || r.status == 404 {
                self.out.deleted.push(what);
            } else {
                let (code, message) = super::http::error_of(&r.body);
                self.out.failed.push(format!("{what}: HTTP {} {code}: {message}", r.status));
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Rollback {
        std::mem::take(&mut self.out)
    }
}
