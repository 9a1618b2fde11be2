//! An upsert that meets a soft-deleted holder of its uniqueName. `DELETE /applications/{id}` keeps the app in
//! deleted items for 30 days and its uniqueName stays reserved, so the upsert gets 400 "Another object with the
//! same value for property uniqueName already exists." (microsoftgraph/msgraph-bicep-types#137). The run finds the
//! holder in `GET /directory/deletedItems/microsoft.graph.application` and, as the caller chose, restores it
//! (`POST /directory/deletedItems/{id}/restore`, directory-deleteditems-restore) or deletes it permanently
//! (`DELETE /directory/deletedItems/{id}`, directory-deleteditems-delete) and upserts again — or, by default,
//! stops and explains both choices. Never a bare error.

use serde_json::Value;

use super::refusal::describe;
use super::task::{app_mut, done, Op, Outcome, Task};
use crate::engine::http::{error_of, relative, ItemResponse};
use crate::engine::journal::Journal;
use crate::engine::provenance::{self, Standing};
use crate::engine::report::{Stop, StopKind};
use crate::engine::retry::{classify, Verdict};
use crate::engine::settings::{Settings, SoftDeleted};
use crate::plan::{Plan, PlannedApp};

pub fn apply(
    task: &Task,
    reply: &ItemResponse,
    plan: &Plan,
    journal: &mut Journal,
    settings: &Settings,
) -> Option<Outcome> {
    let app = plan.applications.get(task.work.app)?;
    let ok = classify(reply, 0) == Verdict::Ok;
    match &task.work.op {
        Op::FindDeleted(_) if ok => Some(holder(&reply.body, app, settings)),
        // After either, the upsert is tried again; a purge frees the name, a restore makes the upsert an update of
        // the restored object.
        Op::RestoreDeleted(id) if ok || reply.status == 404 => {
            // The restored app was not made by this run: rollback keeps it, and it keeps its own secrets. Only a
            // holder the tool made, or one the admin adopted, is ever restored (`holder`).
            let adopted = !settings.history.made(id);
            let rec = app_mut(journal, plan, task.work.app);
            rec.existed = Some(true);
            rec.object_id = Some(id.clone());
            rec.app_id = reply.body["appId"].as_str().map(str::to_string).or(rec.app_id.take());
            rec.adopted = adopted;
            Some(done(vec![Op::UpsertApp]))
        }
        Op::PurgeDeleted(_) if ok || reply.status == 404 => Some(done(vec![Op::UpsertApp])),
        Op::RestoreDeleted(_) | Op::PurgeDeleted(_) if reply.status == 400 || reply.status == 409 => {
            let (code, message) = error_of(&reply.body);
            Some(Outcome::Stop(Stop::new(
                StopKind::Failed,
                Some(app.key.clone()),
                format!("{}: HTTP {} {code}: {message}", describe(&task.work.op), reply.status),
            )))
        }
        _ => None,
    }
}

/// A page of deleted applications: the one holding the app's uniqueName is restored, purged or explained as the
/// caller chose; not on this page, the next one is read.
fn holder(body: &Value, app: &PlannedApp, settings: &Settings) -> Outcome {
    let holder = body["value"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["uniqueName"].as_str().is_some_and(|u| u.eq_ignore_ascii_case(&app.key)))
        .cloned();
    let Some(holder) = holder else {
        return match body["@odata.nextLink"].as_str() {
            Some(next) => done(vec![Op::FindDeleted(Some(relative(next)))]),
            // Not a deleted app: a live one took the key after discovery. It is read and vetted like any existing
            // app before anything more happens (`Op::RecheckApp`).
            None => done(vec![Op::RecheckApp]),
        };
    };
    let text = |k: &str| holder[k].as_str().unwrap_or("").to_string();
    let id = text("id");
    // Who made the holder decides what may be offered: restoring someone else's app would hand it back to them
    // with the plan's permissions and consent to follow.
    let mut found = provenance::read(&app.key, &holder);
    provenance::judge(&mut found, settings.user_id.as_deref(), &settings.history, &settings.adopt);
    let theirs = found.standing == Standing::Foreign;
    if !crate::guid::is_guid(&id) {
        return Outcome::Stop(Stop::new(
            StopKind::Failed,
            Some(app.key.clone()),
            format!("the deleted application holding '{}' has no usable id", app.key),
        ));
    }
    let held = format!(
        "the unique name '{}' is held by the application \"{}\" (Application ID {}, object id {id}; {}), deleted {} and kept in deleted items for 30 days.",
        app.key,
        text("displayName"),
        text("appId"),
        owners_of(&found),
        holder["deletedDateTime"].as_str().unwrap_or("recently"),
    );
    match settings.soft_deleted {
        SoftDeleted::Restore if !theirs => done(vec![Op::RestoreDeleted(id)]),
        SoftDeleted::Purge => done(vec![Op::PurgeDeleted(id)]),
        _ if theirs => Outcome::Stop(Stop::new(
            StopKind::SoftDeleted,
            Some(app.key.clone()),
            format!(
                "{held} It is not provably made by this tool for you ({}), so restoring it is not offered: it would come back to whoever made it, with the plan's permissions and consent to follow. Delete it permanently (softDeleted: \"purge\" — a new app is created) or choose another prefix; restore it only after adopting it (adopt: [\"{}\"]) if you know who made it.",
                found.reasons.join("; "),
                app.key,
            ),
        )),
        _ => Outcome::Stop(Stop::new(
            StopKind::SoftDeleted,
            Some(app.key.clone()),
            format!(
                "{held} Choose: restore it (softDeleted: \"restore\" — it comes back with its Application ID, secrets and settings, then is updated to the plan) or delete it permanently (softDeleted: \"purge\" — it cannot be restored afterwards, and a new app is created)."
            ),
        )),
    }
}

fn owners_of(e: &provenance::Existing) -> String {
    if e.owners.is_empty() {
        return "no owners".to_string();
    }
    let names: Vec<String> = e
        .owners
        .iter()
        .map(|o| o.user_principal_name.clone().or(o.display_name.clone()).unwrap_or_else(|| o.id.clone()))
        .collect();
    format!("owners {}", names.join(", "))
}
