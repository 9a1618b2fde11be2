//! The engine's steps: what a run does next for one app (an `Op`), queued as a `Task`, and what a reply made of it.

use crate::engine::batcher::Pending;
use crate::engine::journal::{AppRecord, Journal};
use crate::engine::report::{RemovedSecret, Secret, Stop};
use crate::engine::retry::Verdict;
use crate::plan::Plan;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// The tenant's id, when the caller did not give it.
    ReadTenant,
    /// Index into `Plan::resource_app_ids`.
    ReadResource(usize),
    ReadApp,
    /// The app read again after its create was refused because the key is taken and no deleted app holds it:
    /// someone made it between discovery and the create. Vetted like discovery's read; only if it is the tool's own
    /// (or adopted) is it then updated.
    RecheckApp,
    /// The app read after its create got no reply (or a server error): found and the tool's own, the create
    /// happened; not found, it is sent again. A create is never simply repeated, since `POST` is not idempotent.
    FindCreated,
    UpsertApp,
    ReadAppIds,
    UpsertSp,
    ReadSp,
    /// Whether the app's service principal exists (a 404 says it does not). In discovery, for an app that existed
    /// before the run: rollback must know whether the one it ends up with was there before, even if the reply to
    /// its upsert is lost. With `create`, after Graph refused the empty upsert: the named upsert follows only a
    /// 404, so it never renames one that exists (`upserts.rs`).
    FindSp {
        create: bool,
    },
    /// The documented service principal upsert, named after the application: only once a 404 said there is none.
    CreateSp,
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

/// One step of a run: what to do, for which planned app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub op: Op,
    /// Index into the plan's applications.
    pub app: usize,
}

/// A step queued on the batcher.
pub type Task = Pending<Step>;

pub enum Outcome {
    Done { follow_up: Vec<Op>, secret: Option<Secret>, removed: Option<RemovedSecret> },
    Retry(Verdict),
    Stop(Stop),
}

pub fn done(follow_up: Vec<Op>) -> Outcome {
    Outcome::Done { follow_up, secret: None, removed: None }
}

/// The read that tells whether a write happened.
pub fn lookup_of(op: &Op) -> Op {
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
    let creating = op == Op::UpsertApp
        && plan.applications[app].target_app_id.is_none()
        && journal.app(&plan.applications[app].key).is_none_or(|r| r.object_id.is_none());
    if ambiguous && creating {
        return Op::FindCreated;
    }
    if ambiguous && matches!(op, Op::WriteGrant(_) | Op::Assign(_) | Op::AddSecret) {
        app_mut(journal, plan, app).needs_lookup = true;
        return lookup_of(&op);
    }
    op
}

pub fn app_mut<'a>(journal: &'a mut Journal, plan: &Plan, app: usize) -> &'a mut AppRecord {
    let key = &plan.applications[app].key;
    let i = journal.apps.iter().position(|a| &a.key == key).unwrap_or_else(|| {
        journal.apps.push(AppRecord { key: key.clone(), ..Default::default() });
        journal.apps.len() - 1
    });
    &mut journal.apps[i]
}
