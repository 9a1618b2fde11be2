//! The Graph engine: registers a plan in a tenant without doing any I/O. It says "send this batch" or "wait N ms",
//! is fed the response and the time, and keeps a journal so any stop can be resumed.
//!
//! Stages (each one `$batch` round trip on the happy path):
//! 0. discover — read Microsoft Graph's service principal (its appRoles and oauth2PermissionScopes verify every
//!    planned id before anything is written) and look up each planned app by `uniqueName`;
//! 1. applications — `PATCH /applications(uniqueName='…')` with `Prefer: create-if-missing`;
//! 2. service principals — `PATCH /servicePrincipals(appId='…')` with `Prefer: create-if-missing`;
//! 3. consent and secrets — one AllPrincipals oauth2PermissionGrant per app and resource, one app role
//!    assignment per application permission, `addPassword` where a secret is wanted.

mod batcher;
mod clock;
mod deleted;
pub mod drift;
pub mod http;
pub mod journal;
mod ops;
pub mod preflight;
mod report;
mod requests;
mod retry;
pub mod roles;
pub mod rollback;
pub mod scopes;
mod secrets;
mod verify;

pub use drift::{Drift, VerifyJob};
pub use http::{Request, Response};
pub use journal::Journal;
pub use preflight::{Preflight, PreflightJob};
pub use report::{AppOutcome, Event, RemovedSecret, RunReport, Secret, Stop, StopKind};
pub use rollback::{Rollback, RollbackJob};

use crate::plan::Plan;
use http::{Item, ItemResponse};
use ops::{Op, Task};
use retry::Verdict;

/// What the driver does next.
#[derive(Debug, Clone, PartialEq)]
pub enum Action<T = Box<RunReport>> {
    Send(Request),
    Wait {
        ms: u64,
    },
    /// The token was rejected (401): get a fresh one, call `token_refreshed`, then poll again.
    NeedToken,
    Done(T),
    Stopped(Box<Stop>),
}

/// Anything the driver can run: the registration engine, and the read-only and rollback jobs.
pub trait Job {
    type Output;
    fn poll(&mut self, now: u64) -> Action<Self::Output>;
    fn on_response(&mut self, response: Response, now: u64);
    fn token_refreshed(&mut self);
    fn drain_events(&mut self) -> Vec<Event> {
        Vec::new()
    }
    /// What to resume from after a stop, for jobs that write.
    fn journal(&self) -> Option<Journal> {
        None
    }
    /// The delegated scopes of the token the driver is about to use, so a 403 can say whether a scope or a
    /// role is missing. Jobs that only read ignore it.
    fn token_scopes(&mut self, _scopes: &[String]) {}
}

impl Job for Engine {
    type Output = Box<RunReport>;
    fn poll(&mut self, now: u64) -> Action<Self::Output> {
        Engine::poll(self, now)
    }
    fn on_response(&mut self, response: Response, now: u64) {
        Engine::on_response(self, response, now)
    }
    fn token_refreshed(&mut self) {
        Engine::token_refreshed(self)
    }
    fn drain_events(&mut self) -> Vec<Event> {
        Engine::drain_events(self)
    }
    fn journal(&self) -> Option<Journal> {
        Some(Engine::journal(self).clone())
    }
    fn token_scopes(&mut self, scopes: &[String]) {
        self.settings.token_scopes = Some(scopes.to_vec());
    }
}

/// What a run does when a soft-deleted application holds an app's uniqueName (see `deleted.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SoftDeleted {
    /// Stop and explain both choices (resumable).
    #[default]
    Ask,
    Restore,
    Purge,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// How long replication-delay errors are retried per item before the run stops (resumable).
    pub replication_budget_ms: u64,
    /// Throttling and server-error retries per item before the run stops (resumable).
    pub max_attempts: u32,
    /// Seeds the backoff jitter (tests pass a fixed seed; the driver a random one).
    pub seed: u64,
    pub soft_deleted: SoftDeleted,
    /// The token's delegated scopes, when known (the driver tells them): a run without the scopes Microsoft's
    /// permission tables list for its writes stops before writing, naming them.
    pub token_scopes: Option<Vec<String>>,
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
        }
    }
}

/// Said at the end of every stop: how to go on.
const RESUME: &str =
    "To resume, run again with the same plan and this run's journal (Register does it for you); nothing already done is repeated.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Discover,
    Applications,
    ServicePrincipals,
    Consent,
    Finished,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Discover => "discover",
            Stage::Applications => "applications",
            Stage::ServicePrincipals => "servicePrincipals",
            Stage::Consent => "consent",
            Stage::Finished => "finished",
        }
    }
}

pub struct Engine {
    plan: Plan,
    journal: Journal,
    settings: Settings,
    rng: fastrand::Rng,
    stage: Stage,
    tasks: Vec<Task>,
    in_flight: Vec<Task>,
    next_id: u32,
    awaiting_token: bool,
    stop: Option<Stop>,
    events: Vec<Event>,
    secrets: Vec<Secret>,
    removed: Vec<RemovedSecret>,
    /// Started from a journal: secrets an earlier part may have made are looked for before adding one.
    resumed: bool,
    round_trips: u32,
    retries: u32,
}

impl Engine {
    /// A run of `plan`, resuming from `journal` when given (its apps are matched by key).
    pub fn new(plan: Plan, journal: Option<Journal>, tenant_id: Option<String>, settings: Settings) -> Engine {
        let resumed = journal.is_some();
        // A journal handed in is checked again (ids are GUIDs, fields well-formed) before any path is built from it.
        let invalid = journal.as_ref().and_then(|j| j.clone().validated().err());
        let mut journal = if invalid.is_some() { Journal::default() } else { journal.unwrap_or_default() };
        journal.version = journal::VERSION;
        if journal.tenant_id.is_none() {
            journal.tenant_id = tenant_id;
        }
        for app in &plan.applications {
            if journal.app(&app.key).is_none() {
                journal.apps.push(journal::AppRecord { key: app.key.clone(), ..Default::default() });
            }
        }
        let rng = fastrand::Rng::with_seed(settings.seed);
        let mut engine = Engine {
            plan,
            journal,
            settings,
            rng,
            stage: Stage::Discover,
            tasks: Vec::new(),
            in_flight: Vec::new(),
            next_id: 0,
            awaiting_token: false,
            stop: None,
            events: Vec::new(),
            secrets: Vec::new(),
            removed: Vec::new(),
            resumed,
            round_trips: 0,
            retries: 0,
        };
        if let Some(e) = invalid {
            engine.stop = Some(Stop::new(StopKind::Failed, None, format!("the journal is not valid: {}", e.message)));
            return engine;
        }
        engine.enter(Stage::Discover);
        engine
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// Progress since the last call.
    pub fn drain_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    pub fn token_refreshed(&mut self) {
        self.awaiting_token = false;
    }

    /// What to do now. Call again after every `on_response`, wait or token refresh.
    pub fn poll(&mut self, now: u64) -> Action {
        loop {
            if let Some(stop) = &self.stop {
                return Action::Stopped(Box::new(stop.clone()));
            }
            if self.awaiting_token {
                return Action::NeedToken;
            }
            if !self.in_flight.is_empty() {
                // The driver polled without answering: the request is still out.
                return Action::Wait { ms: 0 };
            }
            if self.tasks.is_empty() {
                if self.stage == Stage::Finished {
                    self.deliver();
                    return Action::Done(Box::new(self.report()));
                }
                self.advance();
                continue;
            }
            let mut ready: Vec<usize> = (0..self.tasks.len()).filter(|&i| self.tasks[i].not_before <= now).collect();
            if ready.is_empty() {
                let soonest = self.tasks.iter().map(|t| t.not_before).min().unwrap_or(now);
                return Action::Wait { ms: soonest - now };
            }
            ready.truncate(http::MAX_BATCH);
            let mut batch = Vec::with_capacity(ready.len());
            for i in ready.into_iter().rev() {
                batch.push(self.tasks.remove(i));
            }
            batch.reverse();
            let items: Vec<Item> = batch.iter().map(|t| requests::item(t, &self.plan, &self.journal, now)).collect();
            self.in_flight = batch;
            self.round_trips += 1;
            return Action::Send(http::batch(&items));
        }
    }

    /// Feeds the reply to the last `Send`.
    pub fn on_response(&mut self, response: Response, now: u64) {
        let tasks = std::mem::take(&mut self.in_flight);
        match response {
            Response::NetworkError(_) => self.retry_all(tasks, None, now),
            Response::Http { status: 401, .. } => {
                self.awaiting_token = true;
                self.tasks.extend(tasks);
            }
            Response::Http { status: 200, body, .. } => match http::unbatch(&body) {
                Some(replies) => {
                    for task in tasks {
                        let id = task.id.to_string();
                        match replies.iter().find(|(rid, _)| *rid == id) {
                            Some((_, reply)) => self.handle(task, reply, now),
                            None => self.retry_all(vec![task], None, now),
                        }
                    }
                }
                None => self.retry_all(tasks, None, now),
            },
            Response::Http { status, retry_after, body } => {
                let reply = ItemResponse { status, retry_after, body };
                match retry::classify(&reply, now) {
                    Verdict::Throttled { after_ms } => self.retry_all(tasks, after_ms, now),
                    _ => {
                        // The batch itself was refused; each item reports the same.
                        for task in tasks {
                            self.handle(task, &reply, now);
                        }
                    }
                }
            }
        }
    }

    /// No usable reply for these tasks (dropped connection, throttled or broken batch): each is retried, and a
    /// create among them is treated as possibly done.
    fn retry_all(&mut self, tasks: Vec<Task>, after_ms: Option<u64>, now: u64) {
        let reply = ItemResponse { status: 503, retry_after: None, body: serde_json::Value::Null };
        for task in tasks {
            self.retry(task, Verdict::Throttled { after_ms }, &reply, now);
        }
    }

    fn enter(&mut self, stage: Stage) {
        self.stage = stage;
        let tasks = ops::tasks_for(stage, &self.plan, &self.journal, self.resumed);
        for (op, app) in tasks {
            self.push(op, app, 0);
        }
        self.events.push(Event::stage(stage));
    }

    fn advance(&mut self) {
        if self.stage == Stage::Discover {
            // Before the first write: the token must carry every scope the writes need (Microsoft's per-call
            // permission tables, `scopes.rs`), or Graph would refuse part-way.
            if let Some(have) = &self.settings.token_scopes {
                let missing = scopes::missing_for(scopes::REGISTER, have);
                if !missing.is_empty() {
                    return self.halt(Stop::new(
                        StopKind::InsufficientScope,
                        None,
                        format!(
                            "the token lacks the {} permission{} that Microsoft Graph requires for registering apps and granting consent (Microsoft's permission tables for each call); nothing was written. Sign in again with a token that carries {}.",
                            missing.join(", "),
                            if missing.len() > 1 { "s" } else { "" },
                            if missing.len() > 1 { "them" } else { "it" }
                        ),
                    ));
                }
            }
        }
        let next = match self.stage {
            Stage::Discover => Stage::Applications,
            Stage::Applications => Stage::ServicePrincipals,
            Stage::ServicePrincipals => Stage::Consent,
            Stage::Consent | Stage::Finished => Stage::Finished,
        };
        self.enter(next);
    }

    fn push(&mut self, op: Op, app: usize, not_before: u64) {
        self.next_id += 1;
        self.tasks.push(Task { id: self.next_id, op, app, attempt: 0, not_before, first_failure: None });
    }

    fn handle(&mut self, task: Task, reply: &ItemResponse, now: u64) {
        match ops::apply(&task, reply, &self.plan, &mut self.journal, &self.settings, now) {
            ops::Outcome::Done { follow_up, secret, removed } => {
                if let Some(s) = secret {
                    self.secrets.push(s);
                }
                if let Some(r) = removed {
                    self.removed.push(r);
                }
                let key = self.plan.applications.get(task.app).map(|a| a.key.clone());
                self.events.push(Event::item(self.stage, key, "done", task.attempt, 0));
                for op in follow_up {
                    self.push(op, task.app, now);
                }
            }
            ops::Outcome::Retry(verdict) => self.retry(task, verdict, reply, now),
            ops::Outcome::Stop(stop) => self.halt(stop),
        }
    }

    /// Secrets handed to the caller (in a report or a stop) are marked delivered in the journal.
    fn deliver(&mut self) {
        for s in &self.secrets {
            if let Some(rec) = self.journal.apps.iter_mut().find(|a| a.key == s.key) {
                if rec.secret_key_id.as_deref() == Some(s.key_id.as_str()) {
                    rec.secret_delivered = true;
                }
            }
        }
    }

    /// Stops the run: the stop carries the secrets made so far and says how to resume.
    fn halt(&mut self, mut stop: Stop) {
        self.deliver();
        stop.secrets = self.secrets.clone();
        stop.removed_secrets = self.removed.clone();
        stop.message = format!("{} {RESUME}", stop.message.trim_end_matches('.').to_string() + ".");
        self.stop = Some(stop);
    }

    fn retry(&mut self, mut task: Task, verdict: Verdict, reply: &ItemResponse, now: u64) {
        let key = self.plan.applications.get(task.app).map(|a| a.key.clone());
        // A write whose outcome is unknown is re-read before it is tried again — also by a later run, should
        // this one stop now — so it is never done twice.
        task.op = ops::after_ambiguous(task.op, reply.status, &mut self.journal, &self.plan, task.app);
        let reason = match verdict {
            Verdict::Replication => "replication",
            Verdict::NeedToken => "token",
            _ => "throttled",
        };
        let wait = match verdict {
            Verdict::NeedToken => {
                self.awaiting_token = true;
                0
            }
            Verdict::Replication => {
                let first = *task.first_failure.get_or_insert(now);
                if now.saturating_sub(first) > self.settings.replication_budget_ms {
                    let budget = self.settings.replication_budget_ms / 1000;
                    let why = ops::describe(&task.op);
                    return self.halt(Stop::new(
                        StopKind::ReplicationTimeout,
                        key,
                        format!("Entra has not made the new object visible after {budget} s ({why}); it usually does within minutes, and a longer replication budget (replicationBudgetMs) waits longer"),
                    ));
                }
                retry::backoff_ms(task.attempt, &mut self.rng)
            }
            Verdict::Throttled { .. } | Verdict::Dependency if task.attempt + 1 >= self.settings.max_attempts => {
                return self.halt(Stop::new(
                    StopKind::Throttled,
                    key,
                    format!(
                        "Microsoft Graph kept refusing {} (HTTP {}) after {} attempts",
                        ops::describe(&task.op),
                        reply.status,
                        task.attempt + 1
                    ),
                ));
            }
            Verdict::Throttled { after_ms: Some(ms) } => ms,
            _ => retry::backoff_ms(task.attempt, &mut self.rng),
        };
        task.attempt += 1;
        task.not_before = now + wait;
        self.retries += 1;
        self.events
            .push(Event { reason: Some(reason), ..Event::item(self.stage, key, "retrying", task.attempt, wait) });
        self.tasks.push(task);
    }

    fn report(&self) -> RunReport {
        report::build(&self.plan, &self.journal, &self.secrets, &self.removed, self.round_trips, self.retries)
    }
}
