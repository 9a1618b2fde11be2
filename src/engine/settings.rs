//! How a run behaves (replication budget, retry limits, what to do about a soft-deleted uniqueName holder, the
//! token's scopes) and its stages.

use crate::closed_set::closed_set;

closed_set! {
    /// What a run does when a soft-deleted application holds an app's uniqueName (see `register/deleted.rs`).
    #[derive(Default)]
    pub enum SoftDeleted {
        /// Stop and explain both choices (resumable).
        #[default]
        Ask = "ask",
        Restore = "restore",
        Purge = "purge",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// How long replication-delay errors are retried per item before the run stops (resumable).
    pub replication_budget_ms: u64,
    /// Attempts per chain — a request, its retries after throttling, server errors and lost replies, and the
    /// follow-ups its replies cause — before the job stops (resumable). The one limit of every job (`batcher.rs`).
    pub max_attempts: u32,
    /// Seeds the backoff jitter (tests pass a fixed seed; the driver a random one).
    pub seed: u64,
    pub soft_deleted: SoftDeleted,
    /// The token's delegated scopes, when known (the driver tells them): a run without the scopes Microsoft's
    /// permission tables list for its writes stops before writing, naming them.
    pub token_scopes: Option<Vec<String>>,
    /// The signed-in user's object id (the token's `oid`), when known: an app only they own may be the tool's.
    pub user_id: Option<String>,
    /// Keys of existing apps the admin chose to adopt after seeing their owners and credentials.
    pub adopt: Vec<String>,
    /// What kept journals of earlier runs say this tool made or the admin adopted (`provenance.rs`).
    pub history: super::provenance::History,
}

impl Default for Settings {
    fn default() -> Self {
        // Terraform's azuread provider waits about 5 minutes for replication; msgraph-bicep-types#193 reports that
        // 5 minutes is sometimes not enough, so the budget is a setting (`replicationBudgetMs`).
        Settings {
            replication_budget_ms: 5 * 60 * 1000,
            max_attempts: 10,
            seed: 0x5eed,
            soft_deleted: SoftDeleted::Ask,
            token_scopes: None,
            user_id: None,
            adopt: vec![],
            history: Default::default(),
        }
    }
}

/// Said at the end of every stop: how to go on.
pub(super) const RESUME: &str =
    "To resume, run again with the same plan and this run's journal (Register does it for you); nothing already done is repeated.";

closed_set! {
    #[derive(PartialOrd, Ord)]
    pub enum Stage {
        Discover = "discover",
        Applications = "applications",
        ServicePrincipals = "servicePrincipals",
        Consent = "consent",
        Finished = "finished",
    }
}
