//! What a run tells its caller: progress events while it runs, and a report (or a resumable stop) at the end.
//! Client secrets appear here once and nowhere else — never in the journal.

use serde::Serialize;

use super::journal::Journal;
use super::provenance::Existing;
use super::settings::Stage;
use crate::closed_set::closed_set;
use crate::plan::Plan;

closed_set! {
    pub enum EventStatus {
        Started = "started",
        Done = "done",
        Retrying = "retrying",
    }
}

closed_set! {
    /// Why a retry waits.
    pub enum RetryReason {
        /// Entra has not made a new object visible yet.
        Replication = "replication",
        /// 429, a server error or a lost reply.
        Throttled = "throttled",
        /// A fresh token is needed.
        Token = "token",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub stage: Stage,
    /// The app the event is about, or null for the stage as a whole.
    pub key: Option<String>,
    pub status: EventStatus,
    pub attempt: u32,
    pub wait_ms: u64,
    /// Why a retry waits; null otherwise.
    pub reason: Option<RetryReason>,
}

impl Event {
    pub fn stage(stage: Stage) -> Event {
        Event { stage, key: None, status: EventStatus::Started, attempt: 0, wait_ms: 0, reason: None }
    }

    pub fn item(stage: Stage, key: Option<String>, status: EventStatus, attempt: u32, wait_ms: u64) -> Event {
        Event { stage, key, status, attempt, wait_ms, reason: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    pub key: String,
    pub key_id: String,
    pub secret_text: String,
    pub end_date_time: String,
}

/// A secret this tool made that nobody was shown (its reply was lost, or the run was cut off before handing it
/// over): removed with `removePassword`, and said so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovedSecret {
    pub key: String,
    pub key_id: String,
}

closed_set! {
    pub enum StopKind {
        /// A planned permission is not what the tenant's Microsoft Graph offers; nothing was written.
        PermissionMismatch = "permissionMismatch",
        /// 403: the signed-in user lacks a role (the message names it), or — when the token's scopes are unknown —
        /// possibly a scope (the message names both).
        Forbidden = "forbidden",
        /// 403 because the token lacks a delegated permission the call needs (the message names it).
        InsufficientScope = "insufficientScope",
        /// A soft-deleted application holds the app's uniqueName: restore it or delete it permanently.
        SoftDeleted = "softDeleted",
        /// Replication did not catch up within the budget.
        ReplicationTimeout = "replicationTimeout",
        /// Throttling or server errors did not stop within the attempt limit, or a chain of steps (lost replies and
        /// lookups, a write refused as existing then not found) did not settle within it.
        Throttled = "throttled",
        /// Graph refused a request for another reason.
        Failed = "failed",
        /// The caller cancelled.
        Cancelled = "cancelled",
        /// Apps under the plan's keys are not provably the tool's own (`Stop::foreign` lists them with their owners
        /// and credentials); nothing was written to them. Adopting them is the admin's explicit choice.
        ForeignApps = "foreignApps",
        /// Graph refused a new client secret under the tenant's app management policy (too long a lifetime, or no
        /// secrets allowed); the message names the policy and what it allows. The refusal adds nothing.
        PolicyRefused = "policyRefused",
    }
}

/// Why a run stopped before finishing. The journal resumes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stop {
    pub kind: StopKind,
    pub key: Option<String>,
    pub message: String,
    /// Secrets made before the stop: shown now, as in a report (the resumed run makes no new ones for these apps).
    pub secrets: Vec<Secret>,
    pub removed_secrets: Vec<RemovedSecret>,
    /// For `foreignApps`: each app, its owners and credentials, and why it is not the tool's own.
    #[serde(skip_serializing_if = "<[Existing]>::is_empty")]
    pub foreign: Box<[Existing]>,
}

impl Stop {
    pub fn new(kind: StopKind, key: Option<String>, message: String) -> Stop {
        Stop { kind, key, message, secrets: vec![], removed_secrets: vec![], foreign: Box::new([]) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppOutcome {
    pub key: String,
    pub component: String,
    pub instance: Option<String>,
    pub display_name: String,
    /// The Application (client) ID to type into LUCS.
    pub app_id: Option<String>,
    pub object_id: Option<String>,
    pub service_principal_id: Option<String>,
    /// True when this run (or the run it resumed) created the application.
    pub created: bool,
    /// The app existed, was not the tool's own, and the admin adopted it.
    pub adopted: bool,
    pub consent_granted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    pub tenant_id: Option<String>,
    pub applications: Vec<AppOutcome>,
    /// Shown once; store them now.
    pub secrets: Vec<Secret>,
    /// Secrets made by this tool that nobody was shown, removed again.
    pub removed_secrets: Vec<RemovedSecret>,
    pub round_trips: u32,
    pub retries: u32,
    /// What the run had to do differently from its plan of requests (a documented form Graph was answered in).
    pub warnings: Vec<String>,
    pub journal: Journal,
    /// Apps that existed under the plan's keys: who made them, who owns them, their credentials, whose they are.
    pub existing: Vec<Existing>,
}

pub fn build(
    plan: &Plan,
    journal: &Journal,
    secrets: &[Secret],
    removed_secrets: &[RemovedSecret],
    round_trips: u32,
    retries: u32,
) -> RunReport {
    let applications = plan
        .applications
        .iter()
        .map(|a| {
            let r = journal.app(&a.key).cloned().unwrap_or_default();
            AppOutcome {
                key: a.key.clone(),
                component: a.component.clone(),
                instance: a.instance.clone(),
                display_name: a.display_name.clone(),
                app_id: r.app_id,
                object_id: r.object_id,
                service_principal_id: r.service_principal_id,
                created: r.existed == Some(false),
                adopted: r.adopted,
                consent_granted: a.grant_admin_consent && r.consent_done,
            }
        })
        .collect();
    RunReport {
        tenant_id: journal.tenant_id.clone(),
        applications,
        secrets: secrets.to_vec(),
        removed_secrets: removed_secrets.to_vec(),
        round_trips,
        retries,
        warnings: vec![],
        journal: journal.clone(),
        existing: vec![],
    }
}
