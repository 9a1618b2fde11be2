//! A hedge on two behaviours the upserts rely on that are practised publicly but not documented: `Prefer:
//! create-if-missing` honoured inside a `$batch` item (json-batching allows per-request headers; public code upserts
//! so and counts 201/204, but neither page says the header is honoured there), and a service principal upsert with
//! an empty body (every example on serviceprincipal-upsert sends `displayName`; the empty body is what keeps an
//! enterprise app an admin named by hand from being renamed). Where Graph shows otherwise, the run falls back once
//! to the documented form and says so in its report:
//!
//! - an upsert in a batch answered 404 — a plain PATCH's answer for what does not exist — goes again on its own
//!   request, and so does every request with a `Prefer` header for the rest of the run (the batcher remembers);
//! - a service principal upsert refused with a 400 that is not a replication wording (`retry.rs`) is followed by a
//!   read of the service principal: there (200), it is recorded and left as it is; not there (404), it is upserted
//!   with the application's displayName — the documented form, which names only what it creates.

use super::task::{app_mut, done, Op, Outcome, Task};
use crate::engine::http::ItemResponse;
use crate::engine::journal::Journal;
use crate::engine::retry::{classify, Verdict};
use crate::plan::Plan;

/// The journal's note that this tool set out to create the service principal of an app that existed.
pub const SP_INTENT: &str = "sp";

/// What a reply means for an upsert or a fallback step; `None` when the usual rules apply.
pub fn apply(task: &Task, reply: &ItemResponse, plan: &Plan, journal: &mut Journal, now: u64) -> Option<Outcome> {
    let app = plan.applications.get(task.work.app)?;
    let ok = (200..300).contains(&reply.status);
    match (&task.work.op, reply.status) {
        // Only an upsert by uniqueName carries the header; an app registered by hand is patched without it.
        (Op::UpsertApp, 404) if app.target_app_id.is_none() => Some(Outcome::Retry(Verdict::Unbatched)),
        (Op::UpsertSp | Op::CreateSp, 404) => Some(Outcome::Retry(Verdict::Unbatched)),
        (Op::UpsertSp, 400) if matches!(classify(reply, now), Verdict::Fail { .. }) => {
            Some(done(vec![Op::FindSp { create: true }]))
        }
        (Op::FindSp { create: true }, 404) => Some(done(vec![Op::CreateSp])),
        // In discovery: none yet. Noted before any upsert is sent, so one made by a write whose reply is lost is
        // known as this run's.
        (Op::FindSp { create: false }, 404) => {
            super::consent::intend(journal, plan, task.work.app, SP_INTENT.to_string());
            Some(done(vec![]))
        }
        (Op::FindSp { .. } | Op::CreateSp, _) if ok => Some(service_principal(task, reply, plan, journal)),
        _ => None,
    }
}

/// Which fallbacks a run took, for its report.
#[derive(Debug, Default)]
pub struct Fallbacks {
    named: bool,
}

impl Fallbacks {
    /// Notes the follow-ups a reply asked for.
    pub fn saw(&mut self, follow_up: &[Op]) {
        self.named |= follow_up.contains(&Op::FindSp { create: true });
    }

    /// What the report says about them; `unbatched` is the batcher's memory.
    pub fn warnings(&self, unbatched: bool) -> Vec<String> {
        let mut out = Vec::new();
        if unbatched {
            out.push("Microsoft Graph did not honour `Prefer: create-if-missing` inside a batch here, so the upserts were sent as requests of their own for the rest of the run (one round trip each).".to_string());
        }
        if self.named {
            out.push("Microsoft Graph refused to create a service principal without a name here, so each one that did not exist yet was created with its application's display name; existing ones were left as they were.".to_string());
        }
        out
    }
}

/// A service principal upserted, created or found: recorded, and whether this tool made it — also when an earlier
/// attempt whose reply was lost made it.
pub(super) fn service_principal(task: &Task, reply: &ItemResponse, plan: &Plan, journal: &mut Journal) -> Outcome {
    let rec = app_mut(journal, plan, task.work.app);
    if reply.status == 201 {
        rec.service_principal_created = true;
    } else if matches!(task.work.op, Op::UpsertSp | Op::FindSp { .. } | Op::CreateSp)
        && (rec.existed == Some(false) || rec.intents.iter().any(|i| i == SP_INTENT))
        && !rec.service_principal_created
    {
        // Our app, or one whose service principal discovery found missing, but its service principal already
        // there: an earlier attempt made it.
        rec.service_principal_created = true;
        rec.needs_lookup = true;
    }
    match reply.body["id"].as_str().map(str::to_string) {
        Some(id) => {
            rec.service_principal_id = Some(id);
            done(vec![])
        }
        None => done(vec![Op::ReadSp]),
    }
}
