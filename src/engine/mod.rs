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
mod refusal;
#[cfg(test)]
mod replies;
mod report;
mod requests;
mod retry;
pub mod roles;
pub mod rollback;
pub mod scopes;
mod secrets;
mod settings;
mod stages;
mod verify;

pub use drift::{Drift, VerifyJob};
pub use http::{Request, Response};
pub use journal::Journal;
pub use preflight::{Preflight, PreflightJob};
pub use report::{AppOutcome, Event, RemovedSecret, RunReport, Secret, Stop, StopKind};
pub use rollback::{Rollback, RollbackJob};
use settings::RESUME;
pub use settings::{Settings, SoftDeleted, Stage};

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
                // Every secret made so far goes with the stop, including those from replies after the one
                // that stopped the run.
                let mut stop = stop.clone();
                stop.secrets = self.secrets.clone();
                stop.removed_secrets = self.removed.clone();
                self.deliver();
                return Action::Stopped(Box::new(stop));
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

    /// Stops the run (the first reason wins) and says how to resume; `poll` hands it over with the secrets.
    fn halt(&mut self, mut stop: Stop) {
        if self.stop.is_some() {
            return;
        }
        stop.message = format!("{} {RESUME}", stop.message.trim_end_matches('.').to_string() + ".");
        self.stop = Some(stop);
    }

    fn report(&self) -> RunReport {
        report::build(&self.plan, &self.journal, &self.secrets, &self.removed, self.round_trips, self.retries)
    }
}
