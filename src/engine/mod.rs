//! The Graph engine: jobs that register a plan in a tenant, verify it, check the signed-in admin before anything
//! is written, and roll a run back — without doing any I/O. Each says "send this batch" or "wait N ms", is fed the
//! response and the time, and (when it writes) keeps a journal so any stop can be resumed.
//!
//! Ground floor, shared by every job: the contract (`job.rs`), the batch-and-retry loop (`batcher.rs`, `retry.rs`,
//! `clock.rs`), Graph's request and reply shapes (`http.rs`), what discovery reads and a check may hand a run
//! (`discovery.rs`), the journal, the report and its stops, the settings,
//! and whose an existing app is (`provenance.rs`). Above it, one folder or file per job: `register/`, `verify.rs`,
//! `preflight.rs`, `rollback/`, `health/`, `credentials/` (renewing a secret), `repair/` (drift fixed).

// The `pub use` lines at the end are the engine's face to the tests and the crate's users. Inside the crate each
// file imports a name from the module that defines it, never through here, so no import runs up a floor.

mod batcher;
pub(crate) mod clock;
pub mod credentials;
pub mod discovery;
pub mod health;
pub mod http;
pub(crate) mod job;
pub mod journal;
pub mod preflight;
pub mod provenance;
pub(crate) mod register;
pub mod repair;
pub(crate) mod report;
mod retry;
pub mod rollback;
pub(crate) mod settings;
pub mod verify;

pub use discovery::Discovery;
pub use health::{Health, HealthJob};
pub use http::{Caller, Method, Request, Response};
pub use job::{Action, AsJson, Job};
pub use journal::Journal;
pub use preflight::{Preflight, PreflightJob};
pub use register::Engine;
pub use report::{AppOutcome, Event, EventStatus, RemovedSecret, RetryReason, RunReport, Secret, Stop, StopKind};
pub use rollback::{Rollback, RollbackJob};
pub use settings::{Settings, SoftDeleted, Stage};
pub use verify::{Drift, VerifyJob};
