//! Client secrets. `addPassword` is not idempotent: each call adds a credential and returns its text once
//! (application-addpassword: "There is no way to retrieve this password in the future"). So after a lost reply, or
//! on resuming a run that may have made one nobody was shown, the app's `passwordCredentials` are read first
//! (keyId, displayName — never the text) and every secret this tool made that was not handed to the caller is
//! removed with `removePassword` and said so; then one new secret is added. The invariant: every app ends with
//! exactly the secrets the admin was shown, or was told were removed.
//!
//! One app's credential writes go one after another, never in the same `$batch`: Graph refuses credential writes
//! made close together on one app with `409 Directory_ConcurrencyViolation` (nais/azurerator#448, where Microsoft
//! advised spacing them; `retry.rs` waits that answer out). Other apps' writes still go together.

use serde_json::Value;

use super::task::{app_mut, done, Op, Outcome, Task};
use crate::engine::http::ItemResponse;
use crate::engine::journal::{AppRecord, Journal};
use crate::engine::report::{RemovedSecret, Secret};
use crate::engine::retry::{classify, Verdict};
use crate::plan::{Plan, PlannedApp};

/// Every secret this tool adds is named so (plus the time it was made), which is how it recognises its own.
pub const NAME: &str = "LUCS App Registrar";

/// The first secret step for an app in the consent stage, if it needs one.
pub fn first_step(app: &PlannedApp, rec: &AppRecord, resumed: bool) -> Option<Op> {
    if !app.create_secret || rec.existed != Some(false) {
        return None;
    }
    // A fresh app made by this run has no secret yet. On a resumed run one may exist that nobody was shown — its
    // reply was lost, or the earlier part stopped before its removal went through — also beside one that was
    // shown; reading the passwords finds it (and adds none when a shown one remains).
    if resumed || rec.secret_key_id.is_some() {
        Some(Op::ReadPasswords)
    } else {
        Some(Op::AddSecret)
    }
}

/// What a secret step's reply means; `None` for other steps.
pub fn apply(task: &Task, reply: &ItemResponse, plan: &Plan, journal: &mut Journal, now: u64) -> Option<Outcome> {
    let ok = classify(reply, now) == Verdict::Ok;
    match &task.work.op {
        Op::ReadPasswords if ok => Some(orphans(task, &reply.body, plan, journal)),
        Op::RemoveSecret(key_id) if ok || reply.status == 404 => {
            // 404: removePassword found no such key — it is gone either way.
            let rec = app_mut(journal, plan, task.work.app);
            if rec.secret_key_id.as_deref() == Some(key_id) {
                rec.secret_key_id = None;
                rec.secret_delivered = false;
            }
            let removed = RemovedSecret { key: plan.applications[task.work.app].key.clone(), key_id: key_id.clone() };
            // Read again: the next unseen secret is removed, or the new one added, in a later round trip.
            Some(Outcome::Done { follow_up: vec![Op::ReadPasswords], secret: None, removed: Some(removed) })
        }
        Op::AddSecret if ok => {
            let app = &plan.applications[task.work.app];
            let text = |k: &str| reply.body[k].as_str().unwrap_or("").to_string();
            let key_id = text("keyId");
            let rec = app_mut(journal, plan, task.work.app);
            rec.secret_key_id = Some(key_id.clone());
            rec.secret_delivered = false;
            let secret = Secret {
                key: app.key.clone(),
                key_id,
                secret_text: text("secretText"),
                end_date_time: text("endDateTime"),
            };
            Some(Outcome::Done { follow_up: vec![], secret: Some(secret), removed: None })
        }
        _ => None,
    }
}

/// From the app's passwordCredentials: the first of this tool's secrets nobody was shown is removed (a read
/// follows, for the next); once none is left, one is added if none that was shown remains.
fn orphans(task: &Task, body: &Value, plan: &Plan, journal: &mut Journal) -> Outcome {
    let rec = app_mut(journal, plan, task.work.app);
    let delivered = rec.secret_key_id.clone().filter(|_| rec.secret_delivered);
    let unseen = body["passwordCredentials"]
        .as_array()
        .into_iter()
        .flatten()
        // A renewal's secret (`credentials/renew.rs`) was shown when it was made: never this run's to remove.
        .filter(|c| {
            c["displayName"].as_str().is_some_and(|n| n.starts_with(NAME) && !n.starts_with(&format!("{NAME} renewal")))
        })
        .filter_map(|c| c["keyId"].as_str().map(str::to_string))
        .filter(|k| Some(k) != delivered.as_ref())
        .find(|k| crate::guid::is_guid(k));
    match unseen {
        Some(key_id) => done(vec![Op::RemoveSecret(key_id)]),
        None if delivered.is_none() => done(vec![Op::AddSecret]),
        None => done(vec![]),
    }
}
