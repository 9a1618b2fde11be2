//! An upsert that meets a soft-deleted holder of its uniqueName. `DELETE /applications/{id}` keeps the app in
//! deleted items for 30 days and its uniqueName stays reserved, so the upsert gets 400 "Another object with the
//! same value for property uniqueName already exists." (microsoftgraph/msgraph-bicep-types#137). The run finds the
//! holder in `GET /directory/deletedItems/microsoft.graph.application` and, as the caller chose, restores it
//! (`POST /directory/deletedItems/{id}/restore`, directory-deleteditems-restore) or deletes it permanently
//! (`DELETE /directory/deletedItems/{id}`, directory-deleteditems-delete) and upserts again — or, by default,
//! stops and explains both choices. Never a bare error.

use super::batcher::relative;
use super::http::{error_of, ItemResponse};
use super::journal::Journal;
use super::ops::{done, Op, Outcome, Task};
use super::report::{Stop, StopKind};
use super::retry::{classify, Verdict};
use super::{Settings, SoftDeleted};
use crate::plan::Plan;

pub fn apply(
    task: &Task,
    reply: &ItemResponse,
    plan: &Plan,
    journal: &mut Journal,
    settings: &Settings,
) -> Option<Outcome> {
    let app = plan.applications.get(task.app)?;
    let ok = classify(reply, 0) == Verdict::Ok;
    match &task.op {
        Op::FindDeleted(_) if ok => {
            let holder = reply.body["value"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|a| a["uniqueName"].as_str().is_some_and(|u| u.eq_ignore_ascii_case(&app.key)))
                .cloned();
            let Some(holder) = holder else {
                return Some(match reply.body["@odata.nextLink"].as_str() {
                    Some(next) => done(vec![Op::FindDeleted(Some(relative(next)))]),
                    None => Outcome::Stop(Stop::new(
                        StopKind::Failed,
                        Some(app.key.clone()),
                        format!(
                            "another object holds the unique name '{}', and it is not among the deleted applications (a permanently deleted one can take a few minutes to free it)",
                            app.key
                        ),
                    )),
                });
            };
            let text = |k: &str| holder[k].as_str().unwrap_or("").to_string();
            let id = text("id");
            if !crate::guid::is_guid(&id) {
                return Some(Outcome::Stop(Stop::new(
                    StopKind::Failed,
                    Some(app.key.clone()),
                    format!("the deleted application holding '{}' has no usable id", app.key),
                )));
            }
            Some(match settings.soft_deleted {
                SoftDeleted::Restore => done(vec![Op::RestoreDeleted(id)]),
                SoftDeleted::Purge => done(vec![Op::PurgeDeleted(id)]),
                SoftDeleted::Ask => Outcome::Stop(Stop::new(
                    StopKind::SoftDeleted,
                    Some(app.key.clone()),
                    format!(
                        "the unique name '{}' is held by the application \"{}\" (Application ID {}, object id {id}), deleted {} and kept in deleted items for 30 days. Choose: restore it (softDeleted: \"restore\" — it comes back with its Application ID, secrets and settings, then is updated to the plan) or delete it permanently (softDeleted: \"purge\" — it cannot be restored afterwards, and a new app is created).",
                        app.key,
                        text("displayName"),
                        text("appId"),
                        holder["deletedDateTime"].as_str().unwrap_or("recently"),
                    ),
                )),
            })
        }
        // After either, the upsert is tried again; a purge frees the name, a restore makes the upsert an update.
        Op::RestoreDeleted(_) if ok || reply.status == 404 => {
            // The restored app was not made by this run: rollback keeps it, and it keeps its own secrets.
            super::ops::app_mut(journal, plan, task.app).existed = Some(true);
            Some(done(vec![Op::UpsertApp]))
        }
        Op::PurgeDeleted(_) if ok || reply.status == 404 => Some(done(vec![Op::UpsertApp])),
        Op::RestoreDeleted(_) | Op::PurgeDeleted(_) if reply.status == 400 || reply.status == 409 => {
            let (code, message) = error_of(&reply.body);
            Some(Outcome::Stop(Stop::new(
                StopKind::Failed,
                Some(app.key.clone()),
                format!("{}: HTTP {} {code}: {message}", super::ops::describe(&task.op), reply.status),
            )))
        }
        _ => None,
    }
}
